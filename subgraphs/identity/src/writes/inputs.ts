import { z } from 'zod';

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
