import { badInput } from '@pathway/kit';

export const PASSWORD_POLICY =
  'Passwords need 12 to 128 characters, with at least one lowercase letter, one uppercase letter, one digit and one other character, and must not contain the username.';

/** Throws BAD_USER_INPUT naming the policy when `password` does not meet it. */
export function checkPasswordPolicy(password: string, username: string | null, field = 'password'): void {
  const ok =
    password.length >= 12 &&
    password.length <= 128 &&
    /[a-z]/.test(password) &&
    /[A-Z]/.test(password) &&
    /[0-9]/.test(password) &&
    /[^A-Za-z0-9]/.test(password) &&
    !(username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase()));
  if (!ok) throw badInput(`The password is too weak. ${PASSWORD_POLICY}`, { [field]: 'weak password' });
}
