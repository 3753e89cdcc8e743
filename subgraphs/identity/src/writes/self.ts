import { badInput } from '@pathway/kit';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { recordHistory } from '../data/history.ts';
import type { ResolverContext } from '../context.ts';
import { checkPasswordPolicy } from './password-policy.ts';

/** A person changes their own password; the current one is required. Clears "must change password". */
export async function changePassword(ctx: ResolverContext, currentPassword: string, newPassword: string): Promise<boolean> {
  const identity = ctx.identity;
  const user = await ctx.db.run((tx) => tx.user.findFirst({ where: { id: identity.userId, deletedAt: null } }));
  if (!user || !(await verifyPassword(user.passwordHash, currentPassword)))
    throw badInput('The current password is incorrect. Nothing was changed.', { currentPassword: 'incorrect' });
  checkPasswordPolicy(newPassword, user.username, 'newPassword');
  if (newPassword === currentPassword) throw badInput('The new password must differ from the current one.', { newPassword: 'unchanged' });
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.run(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } });
    await recordHistory(tx, {
      tenantId: user.tenantId,
      userId: user.id,
      actorId: user.id,
      action: 'set_password',
      before: { mustChangePassword: user.mustChangePassword },
      after: { mustChangePassword: false },
    });
  });
  return true;
}
