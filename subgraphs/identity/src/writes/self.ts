import { badInput } from '@pathway/kit';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import type { AuthPayload } from '../auth/sessions.ts';
import { recordHistory } from '../data/history.ts';
import { revokeUserSessions } from '../data/sessions.ts';
import type { ResolverContext } from '../context.ts';
import type { User } from '../generated/prisma/client.ts';
import { checkPasswordPolicy } from './password-policy.ts';

/**
 * A person changes their own password; the current one is required. Clears "must change password".
 * Every session of theirs ends (a password change is also how someone shuts out whoever learned the
 * old one), and a new session begins in the same transaction, so the app carries on with its tokens.
 */
export async function changePassword(
  ctx: ResolverContext,
  currentPassword: string,
  newPassword: string,
): Promise<{ user: User; session: AuthPayload }> {
  const identity = ctx.identity;
  const user = await ctx.db.run((tx) => tx.user.findFirst({ where: { id: identity.userId, deletedAt: null } }));
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword)))
    throw badInput('The current password is incorrect. Nothing was changed.', { currentPassword: 'incorrect' });
  checkPasswordPolicy(newPassword, user.username, 'newPassword');
  if (newPassword === currentPassword) throw badInput('The new password must differ from the current one.', { newPassword: 'unchanged' });
  const passwordHash = await hashPassword(newPassword);
  const { changed, ended } = await ctx.db.run(async (tx) => {
    const ended = await revokeUserSessions(tx, user.id);
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, mustChangePassword: false },
      include: { roles: { include: { role: true } } },
    });
    await recordHistory(tx, {
      tenantId: user.tenantId,
      userId: user.id,
      actorId: user.id,
      action: 'set_password',
      before: { mustChangePassword: user.mustChangePassword },
      after: { mustChangePassword: false },
    });
    return { changed: { user: updated, session: await ctx.sessions.start(tx, updated) }, ended };
  });
  await ctx.sessions.ended(ended);
  const { roles: _roles, ...row } = changed.user;
  return { user: row, session: changed.session };
}
