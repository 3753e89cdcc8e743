import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  validate,
  type GraphQLArgument,
  type GraphQLNamedType,
  type GraphQLType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';

// Every GraphQL name the README quotes exists in the composed schema (schema/supergraph.graphql):
//  1. ```graphql blocks are parsed and validated as operations;
//  2. a backticked `Type.field` whose Type is a schema type names a field (or enum value) of it;
//  3. a backticked selection, `field(args) { sub { subsub } }` (argument lists may be bare names),
//     is walked from a root field or from any type having its first field, and every field must exist;
//  4. a backticked call of a root field, `users(first, after, filter)`, names only its arguments.
// Anything else in backticks (code, files, settings, JSON) is not GraphQL and is left alone.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const schema = buildSchema(readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8'), { assumeValidSDL: true });

const ROOTS = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter((t) => t != null);

/** The fenced code blocks of one language, with their line numbers. */
function fences(text: string, lang: string): { line: number; body: string }[] {
  const out: { line: number; body: string }[] = [];
  const re = new RegExp('^```' + lang + '\\n([\\s\\S]*?)^```', 'gm');
  for (const m of text.matchAll(re)) out.push({ line: text.slice(0, m.index).split('\n').length, body: m[1]! });
  return out;
}

/** Inline code spans outside fenced blocks, with their line numbers. */
function inlineSpans(text: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  const lines = text.split('\n');
  let fenced = false;
  // Spans may wrap a line: join the paragraph, remembering where each line starts.
  let paragraph = '';
  let starts: number[] = [];
  const flush = () => {
    for (const m of paragraph.matchAll(/`([^`]+)`/g)) {
      const at = m.index;
      const line = starts.filter((s) => s <= at).length;
      out.push({ line: lineBase + line, code: m[1]! });
    }
    paragraph = '';
    starts = [];
  };
  let lineBase = 0;
  lines.forEach((raw, i) => {
    if (raw.startsWith('```')) {
      flush();
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    if (!raw.trim()) {
      flush();
      return;
    }
    if (!paragraph) lineBase = i;
    starts.push(paragraph.length);
    paragraph += (paragraph ? ' ' : '') + raw;
  });
  flush();
  return out;
}

const fieldsOf = (type: GraphQLNamedType): Record<string, { type: GraphQLType; args?: readonly GraphQLArgument[] }> | null =>
  isObjectType(type) || isInterfaceType(type) || isInputObjectType(type) ? type.getFields() : null;

/** Removes balanced `( … )` argument lists, which in the README are often bare names. */
function withoutArguments(code: string): string {
  let depth = 0;
  let out = '';
  for (const ch of code) {
    if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/** The problems of walking `selection` from `type`; an empty list when every field exists. */
function walk(type: GraphQLNamedType, selection: SelectionSetNode, path: string): string[] {
  const fields = fieldsOf(type);
  if (!fields) return [`${path}: ${type.name} has no fields`];
  const problems: string[] = [];
  for (const node of selection.selections) {
    if (node.kind === Kind.INLINE_FRAGMENT) {
      const on = node.typeCondition ? schema.getType(node.typeCondition.name.value) : type;
      if (!on) problems.push(`${path}: no type ${node.typeCondition?.name.value}`);
      else problems.push(...walk(on, node.selectionSet, path));
      continue;
    }
    if (node.kind !== Kind.FIELD) continue;
    const name = node.name.value;
    if (name === '__typename') continue;
    const field = fields[name];
    if (!field) {
      problems.push(`${type.name} has no field ${name}`);
      continue;
    }
    if (node.selectionSet) problems.push(...walk(getNamedType(field.type), node.selectionSet, `${path}.${name}`));
  }
  return problems;
}

/** The top-level arguments of `name(a, b: 1, c: { d, e })`: each name, and the input fields a `{ … }` value names. */
function argumentsOf(code: string): { name: string; inputFields: string[] }[] {
  const open = code.indexOf('(');
  let depth = 0;
  let current = '';
  const parts: string[] = [];
  for (const ch of code.slice(open + 1)) {
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) {
      if (depth === 0) break;
      depth--;
    }
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.flatMap((part) => {
    const m = /^\s*([a-z][A-Za-z0-9]*)\s*(?::\s*)?(\{([^{}]*)\})?/.exec(part);
    if (!m) return []; // a bare `{ … }` (the input, unnamed) or a value
    // The keys only: remarks in parentheses and `: value` (also `: a | b`) are dropped.
    const keys = (m[3] ?? '').replace(/\([^)]*\)/g, ' ').replace(/:\s*[^,\s]+(\s*\|\s*[^,\s]+)*/g, ' ');
    const inputFields = [...keys.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((x) => x[0]);
    return [{ name: m[1]!, inputFields }];
  });
}

/** What is wrong with the arguments `code` gives `field` (of `owner`). */
function argumentProblems(owner: string, field: { args?: readonly GraphQLArgument[] }, code: string): string[] {
  const args = new Map((field.args ?? []).map((a) => [a.name, a]));
  return argumentsOf(code).flatMap(({ name, inputFields }) => {
    const arg = args.get(name);
    if (!arg) return [`${owner} has no argument ${name}`];
    const input = getNamedType(arg.type);
    const fields = isInputObjectType(input) ? input.getFields() : null;
    return fields ? inputFields.filter((f) => !fields[f]).map((f) => `${input.name} has no field ${f}`) : [];
  });
}

const rootField = (name: string) => ROOTS.map((root) => root.getFields()[name]).find((f) => f != null);

/** What is wrong with one inline code span, read as GraphQL; [] when fine or not GraphQL at all. */
export function spanProblems(code: string, api: GraphQLSchema = schema): string[] {
  const dotted = /^([A-Z][A-Za-z0-9]*)\.([A-Za-z_][A-Za-z0-9_]*)/.exec(code);
  if (dotted) {
    const type = api.getType(dotted[1]!);
    if (!type) return [];
    if (isEnumType(type)) return type.getValue(dotted[2]!) ? [] : [`${type.name} has no value ${dotted[2]}`];
    const field = fieldsOf(type)?.[dotted[2]!];
    if (!fieldsOf(type)) return [];
    if (!field) return [`${type.name} has no field ${dotted[2]}`];
    const rest = code.slice(dotted[0].length);
    const problems = rest.startsWith('(') ? argumentProblems(`${type.name}.${dotted[2]}`, field, rest) : [];
    return [...problems, ...selectionProblems(code.slice(dotted[1]!.length + 1), [type])];
  }
  // `query { … }` / `mutation { … }`: an operation, walked from its root.
  const operation = /^(query|mutation|subscription)\b[^{]*\{/.exec(code);
  if (operation) {
    const root = { query: api.getQueryType(), mutation: api.getMutationType(), subscription: api.getSubscriptionType() }[
      operation[1] as 'query'
    ];
    return root ? selectionProblems(code.slice(operation[0].length).replace(/\}\s*$/, ''), [root]) : [];
  }
  const head = /^([A-Za-z][A-Za-z0-9]*)\s*(\(|\{)/.exec(code);
  if (!head) return [];
  const [, name, opener] = head;
  const asType = /^[A-Z]/.test(name!) ? api.getType(name!) : null;
  if (asType) return opener === '{' ? walkType(asType, code.slice(name!.length)) : [];
  if (code.includes('{') && (opener === '{' || withoutArguments(code).trim().startsWith(`${name} {`))) {
    const starts = [...ROOTS, ...Object.values(api.getTypeMap()).filter((t) => !t.name.startsWith('__') && !ROOTS.includes(t as never))];
    return selectionProblems(code, starts);
  }
  if (opener === '(') {
    const field = rootField(name!);
    return field ? argumentProblems(name!, field, code) : [];
  }
  return [];
}

/** A selection `{ a b { c } }` below `type`. */
function walkType(type: GraphQLNamedType, code: string): string[] {
  const document = parseSelection(code.trim().replace(/^\{/, '').replace(/\}$/, ''));
  return document ? walk(type, document, type.name) : [];
}

/** `… ` and `...` standing for "and more" are dropped; null when the rest is no GraphQL selection. */
function parseSelection(code: string): SelectionSetNode | null {
  try {
    const document = parse(`{ ${withoutArguments(code).replace(/…|\.\.\.(?!\s*on\b)/g, ' ')} }`);
    const operation = document.definitions[0];
    return operation?.kind === Kind.OPERATION_DEFINITION ? operation.selectionSet : null;
  } catch {
    return null; // not a selection (JSON, code)
  }
}

/**
 * The problems of the selection `field … { … }` read from whichever of `starts` has its first field
 * (where the selection goes below that field, only types where it is an object); [] when one fits.
 */
function selectionProblems(code: string, starts: GraphQLNamedType[]): string[] {
  const selection = parseSelection(code);
  const first = selection?.selections[0];
  if (!selection || first?.kind !== Kind.FIELD) return [];
  const name = first.name.value;
  const fitting = starts.filter((t) => {
    const field = fieldsOf(t)?.[name];
    return field && (!first.selectionSet || fieldsOf(getNamedType(field.type)));
  });
  const walks = fitting.map((t) => walk(t, selection, t.name));
  if (!walks.length) return starts.length === 1 ? [`${starts[0]!.name} has no field ${name}`] : [];
  return walks.some((w) => w.length === 0) ? [] : walks.sort((a, b) => a.length - b.length)[0]!;
}

describe('the README names only what the schema has', () => {
  it('validates every ```graphql block as an operation', () => {
    const blocks = fences(readme, 'graphql');
    expect(blocks.length).toBeGreaterThan(0);
    const problems = blocks.flatMap((b) => validate(schema, parse(b.body)).map((e) => `README.md:${b.line}: ${e.message}`));
    expect(problems).toEqual([]);
  });

  it('finds every backticked Type.field, selection and root-field argument in the schema', () => {
    const spans = inlineSpans(readme);
    const problems = spans.flatMap((s) => spanProblems(s.code).map((p) => `README.md:${s.line + 1}: \`${s.code}\`: ${p}`));
    expect(problems).toEqual([]);
  });

  it('would catch a wrong name: the rules refuse fields, values and arguments that do not exist', () => {
    expect(spanProblems('User.displayName')).toEqual([]);
    expect(spanProblems('User.fullName')).toEqual(['User has no field fullName']);
    expect(spanProblems('ClassEnrollmentStatus.Enrolled')).toEqual([]);
    expect(spanProblems('ClassEnrollmentStatus.Dropped')).toEqual(['ClassEnrollmentStatus has no value Dropped']);
    expect(spanProblems('attendanceRate(from, to) { present absentExcused recorded rate }')).toEqual([]);
    expect(spanProblems('attendanceRate(from, to) { present excused unexcused }')).toEqual([
      'AttendanceSummary has no field excused',
      'AttendanceSummary has no field unexcused',
    ]);
    expect(spanProblems('facility(id) { classes(first: 100) { nodes { name teacher } } }')).toEqual(['ProgramClass has no field teacher']);
    expect(spanProblems('changePassword(currentPassword, newPassword)')).toEqual([]);
    expect(spanProblems('changePassword(oldPassword, newPassword)')).toEqual(['changePassword has no argument oldPassword']);
    expect(spanProblems('users(first, filter: { search, colour })')).toEqual(['UserFilter has no field colour']);
    expect(spanProblems('User.accountHistory(first, after)')).toEqual([]);
    expect(spanProblems('User.accountHistory(since)')).toEqual(['User.accountHistory has no argument since']);
    expect(spanProblems('mutation { login(username, password) { accessToken token … } }')).toEqual(['AuthPayload has no field token']);
    expect(spanProblems('AuthPayload { accessToken token }')).toEqual(['AuthPayload has no field token']);
    expect(spanProblems('Date.now()')).toEqual([]); // not a schema type: not GraphQL
    expect(spanProblems('{ id, type, occurredAt }')).toEqual([]); // JSON, not a selection
  });
});
