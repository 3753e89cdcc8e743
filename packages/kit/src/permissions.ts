import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import type DataLoader from 'dataloader';
import { rowVisible, type EntityAccess } from './access.ts';
import { forbidden, unauthenticated } from './errors.ts';
import type { Identity } from './identity.ts';
import { hasPermission } from './scope.ts';
import type { PermissionKey } from './permission-catalog/index.ts';

export { allow, deny, and, or, not, chain, race, rule } from 'graphql-shield';
export type { IRules };

/** Type name → rule, or type name → field name → rule (`'*'` for the type's other fields). */
export type RuleTree = Record<string, IRules>;

interface WithIdentity {
  identity: Identity | null;
}

export const isAuthenticated = rule('isAuthenticated', { cache: 'contextual' })((_p, _a, ctx: WithIdentity) =>
  ctx.identity ? true : unauthenticated(),
);

const canRules = new Map<PermissionKey, ReturnType<ReturnType<typeof rule>>>();
/**
 * The caller's roles grant permission `key` (a permission row, e.g. `identity.user.read`). One rule
 * instance per key: graphql-shield refuses two different rules with the same name.
 */
export function can(key: PermissionKey) {
  let existing = canRules.get(key);
  if (!existing) {
    existing = rule(`can:${key}`, { cache: 'contextual' })((_p, _a, ctx: WithIdentity) => {
      if (!ctx.identity) return unauthenticated();
      return hasPermission(ctx.identity, key) || forbidden(`Your role does not grant ${key}.`);
    });
    canRules.set(key, existing);
  }
  return existing;
}

/**
 * Row rules are cached per row id. graphql-shield's 'strict' cache hashes the whole parent object,
 * which throws on Prisma Decimals (and costs time on big rows); the id names the row just as well.
 */
const byRowId = (parent: unknown) => String((parent as { id?: unknown } | null)?.id ?? '');

/** The parent object is the caller's own record (`idOf` picks the user id off the parent). */
export const isSelf = <P>(name: string, idOf: (parent: P) => string | null | undefined) =>
  rule(`isSelf:${name}`, { cache: byRowId })((parent: P, _a, ctx: WithIdentity) => {
    if (!ctx.identity) return unauthenticated();
    return idOf(parent) === ctx.identity.userId;
  });

/**
 * The parent row is one the caller may see under the entity's access filter (`access.ts`): decided on
 * the row where its columns suffice, else by `confirm`, the request's batched "which of these match"
 * loader for that entity.
 */
export const visibleRow = <P extends { id: string }, C extends WithIdentity>(
  access: EntityAccess<object>,
  confirm: (ctx: C & { identity: Identity }) => DataLoader<string, boolean>,
) =>
  rule(`visible:${access.name}`, { cache: byRowId })((row: P, _a, ctx: C) =>
    ctx.identity ? rowVisible(access, ctx.identity, row, confirm(ctx as C & { identity: Identity })) : unauthenticated(),
  );

/**
 * A relationship rule of a subgraph's own (linked guardian, assigned teacher, owner…): `check`
 * may use the request's loaders; evaluated once per row per request; anonymous callers are refused.
 */
export const relation = <P, C extends WithIdentity>(
  name: string,
  check: (parent: P, ctx: C & { identity: Identity }) => boolean | Promise<boolean>,
) =>
  rule(name, { cache: byRowId })((parent: P, _a, ctx: C) =>
    ctx.identity ? check(parent, ctx as C & { identity: Identity }) : unauthenticated(),
  );

/**
 * graphql-shield over a subgraph schema with deny as the fallback, so a field nobody wrote a rule
 * for is closed, not open. Federation's own entry points stay reachable; the rules on the entity
 * types still run when the gateway fetches fields through `_entities`.
 */
export function buildShield(rules: RuleTree) {
  const query = (rules.Query ?? {}) as Record<string, IRules>;
  return shield(
    { ...rules, Query: { ...query, _service: allow, _entities: allow }, _Service: allow },
    { fallbackRule: deny, fallbackError: forbidden(), allowExternalErrors: true, debug: false },
  );
}
