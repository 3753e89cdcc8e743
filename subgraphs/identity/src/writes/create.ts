import { randomUUID } from 'node:crypto';
import { appError, badInput, conflict, type ErrorCode, type Identity, issuesOf, reachOf, rethrowDuplicate } from '@pathway/kit';
import type { Prisma, User } from '../generated/prisma/client.ts';
import { hashPassword } from '../auth/passwords.ts';
import { accountSnapshot, recordHistories } from '../data/history.ts';
import { findRolesByName } from '../data/rbac.ts';
import type { ResolverContext } from '../context.ts';
import { publishUserCreated } from '../events.ts';
import { assertFacilityInReach, assertMayGrant } from './guards.ts';
import { createUserSchema, type CreateUserInput } from './inputs.ts';
import { PASSWORD_POLICY, passwordShortcomings } from './password-policy.ts';

type Tx = Prisma.TransactionClient;

export const MAX_BULK_ROWS = 500;

/** One problem of one field of one row; `code` is the error code the same problem gets from createUser. */
export interface RowProblem {
  field: string;
  message: string;
  code: Extract<ErrorCode, 'BAD_USER_INPUT' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT'>;
}

interface Placed extends CreateUserInput {
  tenantId: string;
  facilityId: string | null;
}

interface Prepared extends Placed {
  passwordHash: string;
}

/**
 * A row being checked: its problems so far, the row once its shape is right, and where it would
 * place the person (tenant, facility, role), known even when another field is wrong, so the place
 * and the role are checked in every row.
 */
interface RowCheck {
  row: Placed | null;
  place: { tenantId: string; facilityId: string | null; role: string | null } | null;
  problems: RowProblem[];
}

const problem = (field: string, message: string, code: RowProblem['code'] = 'BAD_USER_INPUT'): RowProblem => ({ field, message, code });

/** A guard's refusal (FORBIDDEN, BAD_USER_INPUT) as a problem of `field`, so a row's other problems are still found. */
function refusal(field: string, check: () => void): RowProblem[] {
  try {
    check();
    return [];
  } catch (error) {
    const code = (error as { extensions?: { code?: string } }).extensions?.code;
    if (code !== 'FORBIDDEN' && code !== 'BAD_USER_INPUT') throw error;
    return [problem(field, (error as Error).message, code)];
  }
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shape, password policy and the caller's scope of one row: every problem, not the first. */
function checkRow(identity: Identity, raw: unknown): RowCheck {
  const parsed = createUserSchema.safeParse(raw);
  const given = (raw ?? {}) as Record<string, unknown>;
  const problems = parsed.success ? [] : Object.entries(issuesOf(parsed.error)).map(([field, message]) => problem(field, message));
  const valid = (field: string) => !problems.some((p) => p.field === field);
  const text = (field: string) => (valid(field) && typeof given[field] === 'string' ? (given[field] as string).trim() : null);
  const id = (field: string) => {
    const value = text(field);
    return value && ID.test(value) ? value : null;
  };
  const tenantId = id('tenantId') ?? identity.tenantId;
  const facilityId = id('facilityId') ?? (reachOf(identity) === 'facility' ? identity.facilityId : null);
  const role = text('role');
  if (tenantId !== identity.tenantId && reachOf(identity) !== 'system')
    problems.push(problem('tenantId', 'You can only create people in your own tenant.', 'FORBIDDEN'));
  if (valid('facilityId')) problems.push(...refusal('facilityId', () => assertFacilityInReach(identity, facilityId)));
  if (role) problems.push(...refusal('role', () => assertMayGrant(identity, role)));
  const password = text('temporaryPassword') === null ? null : (given.temporaryPassword as string);
  if (password !== null) problems.push(...passwordProblems(password, text('username')));
  return {
    row: parsed.success ? { ...parsed.data, tenantId, facilityId } : null,
    place: valid('tenantId') && valid('facilityId') ? { tenantId, facilityId, role } : null,
    problems,
  };
}

function passwordProblems(password: string, username: string | null): RowProblem[] {
  const lacks = passwordShortcomings(password, username);
  return lacks.length ? [problem('temporaryPassword', `too weak: ${lacks.join('; ')}`)] : [];
}

/**
 * Every row's tenant exists and its facility is a facility of that tenant (campus vouches for
 * facilities: kit references.ts).
 */
async function checkPlaces(ctx: ResolverContext, checks: RowCheck[]): Promise<void> {
  const placed = checks.flatMap((c) => (c.place ? [c.place] : []));
  if (!placed.length) return;
  const facilityIds = [...new Set(placed.flatMap((r) => (r.facilityId ? [r.facilityId] : [])))];
  const [tenants, facilities] = await Promise.all([
    ctx.db.run((tx) => tx.tenant.findMany({ where: { id: { in: [...new Set(placed.map((r) => r.tenantId))] } }, select: { id: true } })),
    ctx.references.facilities(facilityIds),
  ]);
  for (const check of checks) {
    const place = check.place;
    if (!place) continue;
    if (!tenants.some((t) => t.id === place.tenantId)) check.problems.push(problem('tenantId', 'no such tenant', 'NOT_FOUND'));
    else if (place.facilityId && facilities.get(place.facilityId)?.tenantId !== place.tenantId)
      check.problems.push(problem('facilityId', 'no such facility in this tenant', 'NOT_FOUND'));
  }
}

/** Unknown roles, and rows clashing with each other or with existing people (username everywhere, email per tenant). */
async function checkAgainstData(tx: Tx, checks: RowCheck[]): Promise<Map<string, string>> {
  const rows = checks.flatMap((c) => (c.row ? [c.row] : []));
  const roles = await findRolesByName(tx, [...new Set(checks.flatMap((c) => (c.place?.role ? [c.place.role] : [])))]);
  const roleIds = new Map(roles.map((r) => [r.name, r.id]));
  const existing = rows.length
    ? await tx.user.findMany({
        where: { OR: [{ username: { in: rows.map((r) => r.username) } }, ...rows.map((r) => ({ tenantId: r.tenantId, email: r.email }))] },
        select: { username: true, email: true, tenantId: true },
      })
    : [];
  const firstWithUsername = new Map<string, number>();
  const firstWithEmail = new Map<string, number>();
  checks.forEach((check, i) => {
    const role = check.place?.role;
    if (role && !roleIds.has(role)) check.problems.push(problem('role', `There is no role named "${role}".`));
    const row = check.row;
    if (!row) return;
    const emailKey = `${row.tenantId}/${row.email}`;
    const sameUsername = firstWithUsername.get(row.username);
    const sameEmail = firstWithEmail.get(emailKey);
    if (existing.some((u) => u.username === row.username)) check.problems.push(problem('username', 'already taken', 'CONFLICT'));
    else if (sameUsername !== undefined) check.problems.push(problem('username', `the same as row ${sameUsername + 1}`, 'CONFLICT'));
    if (existing.some((u) => u.tenantId === row.tenantId && u.email === row.email))
      check.problems.push(problem('email', 'already used in this tenant', 'CONFLICT'));
    else if (sameEmail !== undefined) check.problems.push(problem('email', `the same as row ${sameEmail + 1}`, 'CONFLICT'));
    if (sameUsername === undefined) firstWithUsername.set(row.username, i);
    if (sameEmail === undefined) firstWithEmail.set(emailKey, i);
  });
  return roleIds;
}

/** Inserts every row in a few statements (people, their roles, their history), in input order. */
async function insertAll(tx: Tx, identity: Identity, rows: Prepared[], roleIds: Map<string, string>): Promise<User[]> {
  if (!rows.length) return [];
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

export interface CreatedRows {
  created: User[];
  /** Per input row, in order: its problems (empty for a valid row). */
  problems: RowProblem[][];
}

/**
 * Checks every row (shape, password policy, scope, places, role, clashes with people and with the
 * other rows), every problem of every row, before anything is written; then creates the rows in one
 * transaction: all of them when every row is valid, only the valid ones when `createValid`, none
 * otherwise. Each person gets a temporary password they must change at first sign-in.
 */
export async function createCheckedUsers(ctx: ResolverContext, inputs: unknown[], createValid: boolean): Promise<CreatedRows> {
  const identity = ctx.identity;
  const checks = inputs.map((raw) => checkRow(identity, raw));
  await checkPlaces(ctx, checks);
  // Hash before the transaction: argon2 is deliberately slow and must not hold row locks.
  const hashes = await Promise.all(checks.map((c) => (c.row && !c.problems.length ? hashPassword(c.row.temporaryPassword) : null)));
  const created = await ctx.db
    .run(async (tx) => {
      const roleIds = await checkAgainstData(tx, checks);
      const valid = checks.flatMap((c, i) => (c.row && !c.problems.length ? [{ ...c.row, passwordHash: hashes[i]! }] : []));
      if (valid.length < checks.length && !createValid) return [];
      const out = await insertAll(tx, identity, valid, roleIds);
      const events = ctx.events.batched(tx);
      for (const user of out) await publishUserCreated(events, user);
      await events.flush();
      return out;
    })
    // Two requests creating the same username at once: the unique index decides, nothing half-written.
    .catch(rethrowDuplicate('That username or email was taken a moment ago. Nothing was created.'));
  return { created, problems: checks.map((c) => c.problems) };
}

const ORDER: RowProblem['code'][] = ['FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT'];

/** Creates one person, or refuses with the code of its most serious problem and every problem as `fieldErrors`. */
export async function createUser(ctx: ResolverContext, input: unknown): Promise<User> {
  const { created, problems } = await createCheckedUsers(ctx, [input], false);
  const all = problems[0] ?? [];
  if (all.length) {
    const code = ORDER.find((c) => all.some((p) => p.code === c))!;
    const first = all.find((p) => p.code === code)!;
    const fieldErrors = Object.fromEntries(all.filter((p) => p.code === code).map((p) => [p.field, p.message]));
    const described = Object.entries(fieldErrors)
      .map(([k, v]) => `${k} ${v}`)
      .join('; ');
    if (code === 'FORBIDDEN') throw appError('FORBIDDEN', first.message);
    const policy = fieldErrors.temporaryPassword ? ` ${PASSWORD_POLICY}` : '';
    if (code === 'BAD_USER_INPUT') throw badInput(`Nothing was created: ${described}.${policy}`, fieldErrors);
    if (code === 'NOT_FOUND') throw appError('NOT_FOUND', `Nothing was created: ${described}.`, { fieldErrors });
    throw conflict(`Nothing was created: ${described}.`, { reason: 'DUPLICATE', fields: Object.keys(fieldErrors), fieldErrors });
  }
  if (!created[0]) throw new Error('createCheckedUsers created no row for its one valid input');
  return created[0];
}
