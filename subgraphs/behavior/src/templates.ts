/**
 * Communication templates (seed 002): `{{ variable }}` placeholders from a fixed vocabulary, checked
 * when a template is saved so a message can never be rendered with a hole in it.
 */
export const TEMPLATE_VARIABLES = [
  'student.firstName',
  'student.lastName',
  'student.gradeLevel',
  'guardian.firstName',
  'guardian.lastName',
  'request.behaviorType',
  'request.status',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The variables a text uses, or the problem with it: an unknown variable, or braces that do not close. */
export function variablesOf(text: string): { variables: TemplateVariable[] } | { problem: string } {
  const used = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  const unknown = used.filter((v) => !(TEMPLATE_VARIABLES as readonly string[]).includes(v));
  if (unknown.length)
    return { problem: `unknown variable ${unknown.map((v) => `{{${v}}}`).join(', ')} (known: ${TEMPLATE_VARIABLES.join(', ')})` };
  if (/\{\{|\}\}/.test(text.replace(PLACEHOLDER, ''))) return { problem: 'has a {{ or }} that is not a whole {{variable}}' };
  return { variables: [...new Set(used)] as TemplateVariable[] };
}

/** Fills a checked template in. */
export const render = (text: string, values: Record<TemplateVariable, string>) =>
  text.replace(PLACEHOLDER, (_, name: string) => values[name as TemplateVariable] ?? '');
