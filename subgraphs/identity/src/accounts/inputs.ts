import { z } from 'zod';
import { badInput } from '@pathway/kit';

const name = z.string().trim().min(1, 'required').max(100, 'at most 100 characters');
export const emailField = z.string().trim().toLowerCase().pipe(z.email('not a valid email address'));
const username = z
  .string()
  .trim()
  .min(3, 'at least 3 characters')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'only letters, digits, dot, underscore and dash');

export const createUserSchema = z.object({
  username,
  email: emailField,
  firstName: name,
  lastName: name,
  role: z.string().trim().min(1, 'required'),
  facilityId: z.guid('not an id').nullish(),
  residentNumber: z.string().trim().min(1).max(64).nullish(),
  temporaryPassword: z.string(),
  tenantId: z.guid('not an id').nullish(),
});
export type CreateUserInput = z.infer<typeof createUserSchema>;

export const updateUserSchema = z.object({
  username: username.nullish(),
  email: emailField.nullish(),
  firstName: name.nullish(),
  lastName: name.nullish(),
  residentNumber: z.string().trim().max(64).nullish(),
});
export type UpdateUserInput = z.infer<typeof updateUserSchema>;

/** zod issues as `fieldErrors` (path joined with dots, prefixed for bulk rows). */
export function issuesOf(error: z.ZodError, prefix = ''): Record<string, string> {
  return Object.fromEntries(error.issues.map((i) => [prefix + i.path.join('.'), i.message]));
}

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors = issuesOf(parsed.error);
    throw badInput(
      `Invalid input: ${Object.entries(fieldErrors)
        .map(([k, v]) => `${k} ${v}`)
        .join('; ')}.`,
      fieldErrors,
    );
  }
  return parsed.data;
}
