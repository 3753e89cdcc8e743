import { setRolePermissions } from '../auth/roles.ts';
import type { IdentityContext } from '../context.ts';

export const Mutation = {
  login: (_: unknown, args: { username: string; password: string }, ctx: IdentityContext) => ctx.sessions.login(args.username, args.password),
  refresh: (_: unknown, args: { refreshToken: string }, ctx: IdentityContext) => ctx.sessions.refresh(args.refreshToken),
  logout: (_: unknown, args: { refreshToken: string }, ctx: IdentityContext) => ctx.sessions.logout(args.refreshToken),
  setRolePermissions: (_: unknown, args: { role: string; permissions: string[] }, ctx: IdentityContext) =>
    setRolePermissions(ctx.db, ctx.redis, args.role, args.permissions),
};
