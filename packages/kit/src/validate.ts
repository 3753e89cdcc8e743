import { badInput } from './errors.ts';
import type { z } from 'zod';

/**
 * Parses a write's input with zod, or throws BAD_USER_INPUT with one message per field
 * (`fieldErrors`, keyed by the field's path: `media.2.url`). For the `writes/` of every subgraph.
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) fieldErrors[issue.path.map(String).join('.') || 'input'] ??= issue.message;
  throw badInput(`${what} is not valid.`, fieldErrors);
}
