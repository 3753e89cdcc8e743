import { badInput } from '@pathway/kit';

export const PASSWORD_POLICY =
  'A password needs 12 to 128 characters, with at least one lowercase letter, one uppercase letter, one digit and one symbol (such as ! or #), and must not contain the username.';

/** What `password` lacks, in words a person reads (empty when it meets the policy). */
export function passwordShortcomings(password: string, username: string | null): string[] {
  const lacks: string[] = [];
  if (password.length < 12) lacks.push(`it has ${password.length} characters, 12 are needed`);
  if (password.length > 128) lacks.push(`it has ${password.length} characters, 128 at most are allowed`);
  if (!/[a-z]/.test(password)) lacks.push('it needs a lowercase letter');
  if (!/[A-Z]/.test(password)) lacks.push('it needs an uppercase letter');
  if (!/[0-9]/.test(password)) lacks.push('it needs a digit');
  if (!/[^A-Za-z0-9]/.test(password)) lacks.push('it needs a symbol such as ! or #');
  if (username && username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) lacks.push('it contains the username');
  return lacks;
}

/** Throws BAD_USER_INPUT saying what the password lacks, and the whole policy, when `password` does not meet it. */
export function checkPasswordPolicy(password: string, username: string | null, field = 'password'): void {
  const lacks = passwordShortcomings(password, username);
  if (lacks.length) throw badInput(`That password is too weak: ${lacks.join('; ')}. ${PASSWORD_POLICY}`, { [field]: lacks.join('; ') });
}
