import type { z } from 'zod';
import { badInput } from './errors.ts';

/** Parses with zod, or throws BAD_USER_INPUT naming each bad field once (`fieldErrors`, keyed by the field's path). */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[issue.path.map(String).join('.') || 'input'] ??= issue.message;
  throw badInput(`${what} is not valid.`, fieldErrors);
}
