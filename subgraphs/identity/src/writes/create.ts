import { randomUUID } from 'node:crypto';
import { appError, badInput, conflict, forbidden, type Identity, issuesOf, reachOf, rethrowDuplicate } from '@pathway/kit';
import type { Prisma, User } from '../generated/prisma/client.ts';
import { hashPassword } from '../auth/passwords.ts';
import { accountSnapshot, recordHistories } from '../data/history.ts';
import { findRolesByName } from '../data/rbac.ts';
import type { ResolverContext } from '../context.ts';
import { publishUserCreated } from '../events.ts';
import { assertFacilityInReach, assertMayGrant } from './guards.ts';
import { createUserSchema, type CreateUserInput } from './inputs.ts';
import { checkPasswordPolicy } from './password-policy.ts';

type Tx = Prisma.TransactionClient;

interface Prepared extends CreateUserInput {
  tenantId: string;
  facilityId: string | null;
  passwordHash: string;
}

/** Shape, policy and scope checks of one row, as field errors (prefixed for bulk rows). */
function checkRow(
  identity: Identity,
  raw: unknown,
  prefix: string,
): { row?: CreateUserInput & { tenantId: string; facilityId: string | null }; errors: Record<string, string> } {
  const parsed = createUserSchema.safeParse(raw);
  if (!parsed.success) return { errors: issuesOf(parsed.error, prefix) };
  const input = parsed.data;
  const tenantId = input.tenantId ?? identity.tenantId;
  if (tenantId !== identity.tenantId && reachOf(identity) !== 'system') throw forbidden('You can only create people in your own tenant.');
  const facilityId = input.facilityId ?? (reachOf(identity) === 'facility' ? identity.facilityId : null);
  assertFacilityInReach(identity, facilityId, `${prefix}facilityId`);
  assertMayGrant(identity, input.role);
  try {
    checkPasswordPolicy(input.temporaryPassword, input.username, `${prefix}temporaryPassword`);
  } catch (error) {
    return { errors: { [`${prefix}temporaryPassword`]: (error as Error).message } };
  }
  return { row: { ...input, tenantId, facilityId }, errors: {} };
}

/** Rows clashing with each other or with existing people (username everywhere, email per tenant). */
async function clashes(tx: Tx, rows: Prepared[], prefix: (i: number) => string) {
  const errors: Record<string, string> = {};
  const existing = await tx.user.findMany({
    where: { OR: [{ username: { in: rows.map((r) => r.username) } }, ...rows.map((r) => ({ tenantId: r.tenantId, email: r.email }))] },
    select: { username: true, email: true, tenantId: true },
  });
  const seenUsernames = new Set<string>();
  const seenEmails = new Set<string>();
  rows.forEach((row, i) => {
    const emailKey = `${row.tenantId}/${row.email}`;
    if (existing.some((u) => u.username === row.username) || seenUsernames.has(row.username))
      errors[`${prefix(i)}username`] = 'already taken';
    if (existing.some((u) => u.tenantId === row.tenantId && u.email === row.email) || seenEmails.has(emailKey))
      errors[`${prefix(i)}email`] = 'already used in this tenant';
    seenUsernames.add(row.username);
    seenEmails.add(emailKey);
  });
  return errors;
}

/** Inserts every row in a few statements (people, their roles, their history), in input order. */
async function insertAll(tx: Tx, identity: Identity, rows: Prepared[], roleIds: Map<string, string>): Promise<User[]> {
  const ids = rows.map(() => randomUUID());
  const users = await tx.user.createManyAndReturn({
    data: rows.map((row, i) => ({
      id: ids[i],
      tenantId: row.tenantId,
      username: row.username,
      email: row.email,
      firstName: row.firstName,
      lastName: row.lastName,
      docId: row.residentNumber ?? null,
      homeFacilityId: row.facilityId,
      passwordHash: row.passwordHash,
      mustChangePassword: true,
    })),
  });
  const byId = new Map(users.map((u) => [u.id, u]));
  const inOrder = ids.map((id) => byId.get(id)!);
  await tx.userRole.createMany({
    data: rows.map((row, i) => ({ userId: ids[i]!, roleId: roleIds.get(row.role)!, tenantId: row.tenantId, assignedBy: identity.userId })),
  });
  await recordHistories(
    tx,
    inOrder.map((user, i) => ({
      tenantId: user.tenantId,
      userId: user.id,
      actorId: identity.userId,
      action: 'account_creation',
      after: accountSnapshot(user, [rows[i]!.role]),
    })),
  );
  return inOrder;
}

/**
 * Every row's tenant exists and its facility is a facility of that tenant (campus vouches for
 * facilities: kit references.ts); NOT_FOUND naming each row's field otherwise, before anything is written.
 */
async function checkPlaces(ctx: ResolverContext, rows: { tenantId: string; facilityId: string | null }[], prefix: (i: number) => string) {
  const facilityIds = rows.flatMap((r) => (r.facilityId ? [r.facilityId] : []));
  const [tenants, facilities] = await Promise.all([
    ctx.db.run((tx) => tx.tenant.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.tenantId))] } }, select: { id: true } })),
    ctx.references.facilities(facilityIds),
  ]);
  const errors: Record<string, string> = {};
  rows.forEach((row, i) => {
    if (!tenants.some((t) => t.id === row.tenantId)) errors[`${prefix(i)}tenantId`] = 'no such tenant';
    else if (row.facilityId && facilities.get(row.facilityId)?.tenantId !== row.tenantId)
      errors[`${prefix(i)}facilityId`] = 'no such facility in this tenant';
  });
  if (Object.keys(errors).length) throw appError('NOT_FOUND', `Nothing was created: ${describeErrors(errors)}.`, { fieldErrors: errors });
}

const describeErrors = (errors: Record<string, string>) =>
  Object.entries(errors)
    .map(([k, v]) => `${k} ${v}`)
    .join('; ');

/** Creates one person (createUsers' checks and transaction, without the bulk limits). */
export async function createUser(ctx: ResolverContext, input: unknown): Promise<User> {
  const [user] = await createUsers(ctx, [input], false);
  if (!user) throw new Error('createUsers returned no row for its one input');
  return user;
}

/**
 * Creates people, all or none: every row is checked (shape, password policy, scope, role, clashes)
 * before anything is written, and the writes share one transaction. Each person gets a temporary
 * password they must change at first sign-in.
 */
export async function createUsers(ctx: ResolverContext, inputs: unknown[], bulk: boolean): Promise<User[]> {
  const identity = ctx.identity;
  if (bulk && (inputs.length < 1 || inputs.length > 500))
    throw badInput('Send between 1 and 500 people at a time.', { input: 'between 1 and 500 rows' });
  const prefix = (i: number) => (bulk ? `${i}.` : '');
  const checked = inputs.map((raw, i) => checkRow(identity, raw, prefix(i)));
  const shapeErrors = Object.assign({}, ...checked.map((c) => c.errors)) as Record<string, string>;
  if (Object.keys(shapeErrors).length) throw badInput(`Nothing was created: ${describeErrors(shapeErrors)}.`, shapeErrors);
  await checkPlaces(
    ctx,
    checked.map((c) => c.row!),
    prefix,
  );
  // Hash before the transaction: argon2 is deliberately slow and must not hold row locks.
  const rows: Prepared[] = await Promise.all(
    checked.map(async (c) => ({ ...c.row!, passwordHash: await hashPassword(c.row!.temporaryPassword) })),
  );

  const created = await ctx.db
    .run(async (tx) => {
      const roles = await findRolesByName(tx, [...new Set(rows.map((r) => r.role))]);
      const roleIds = new Map(roles.map((r) => [r.name, r.id]));
      const errors: Record<string, string> = {};
      rows.forEach((row, i) => {
        if (!roleIds.has(row.role)) errors[`${prefix(i)}role`] = `unknown role "${row.role}"`;
      });
      if (Object.keys(errors).length) throw badInput(`Nothing was created: ${describeErrors(errors)}.`, errors);
      const clash = await clashes(tx, rows, prefix);
      if (Object.keys(clash).length) {
        throw conflict(`Nothing was created: ${describeErrors(clash)}.`, {
          reason: 'DUPLICATE',
          fields: Object.keys(clash),
          fieldErrors: clash,
        });
      }
      const out = await insertAll(tx, identity, rows, roleIds);
      const events = ctx.events.batched(tx);
      for (const user of out) await publishUserCreated(events, user);
      await events.flush();
      return out;
    })
    // Two requests creating the same username at once: the unique index decides, nothing half-written.
    .catch(rethrowDuplicate('That username or email was taken a moment ago. Nothing was created.'));
  return created;
}
