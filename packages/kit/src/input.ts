import type { z } from 'zod';
import { badInput } from './errors.ts';

/** zod issues as `fieldErrors`: path joined with dots (prefixed for bulk rows), first problem per field. */
export function issuesOf(error: z.ZodError, prefix = ''): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) fieldErrors[prefix + (issue.path.map(String).join('.') || 'input')] ??= issue.message;
  return fieldErrors;
}

/** Parses a mutation's input with zod, or throws BAD_USER_INPUT naming every bad field (`fieldErrors`). */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, what = 'The input'): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fieldErrors = issuesOf(parsed.error);
  const problems = Object.entries(fieldErrors).map(([field, problem]) => `${field} ${problem}`);
  throw badInput(`${what} is not valid: ${problems.join('; ')}.`, fieldErrors);
}
