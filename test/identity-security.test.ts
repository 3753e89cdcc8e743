import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appDatabaseUrl } from '../scripts/database.ts';
import { facilities, users } from '../scripts/demo/ids.ts';
import { codes, gql, login, tokenFor, activate, CHOSEN_PASSWORD } from './support/client.ts';

// Sign-in security: lockout (exact under concurrency), admin unlock, sessions, log out everywhere.
// Every account here is created by this file.
const TEMP = 'Temporary-Pass-2026!';
const OWN = CHOSEN_PASSWORD; // what each person chose at their first sign-in (see newPerson)
const MAX_FAILURES = 5; // LOGIN_MAX_FAILURES default
const LOGIN = `mutation($u: String!, $p: String!) { login(username: $u, password: $p) { userId refreshToken } }`;
const REFRESH = `mutation($t: String!) { refresh(refreshToken: $t) { refreshToken } }`;
const UNLOCK = `mutation($id: UUID!) { unlockUser(id: $id) { id lockedUntil } }`;
const SECURITY = `query($id: UUID!) { user(id: $id) { lockedUntil loginCount lastLoginAt sessions { id startedAt lastActiveAt } } }`;
const REVOKE_ONE = `mutation($s: UUID!) { revokeSession(sessionId: $s) }`;
const REVOKE_ALL = `mutation($u: UUID!) { revokeAllSessions(userId: $u) }`;

const facilityAdmin = () => tokenFor(users.facilityAdmin.username);
const teacher = () => tokenFor(users.teacher.username);
const resident = () => tokenFor(users.residentLee.username);

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: appDatabaseUrl(inject('adminDatabaseUrl'), inject('secrets').APP_DB_PASSWORD) });
  await db.connect();
});
afterAll(() => db.end());

/** Counted and refused failures of one account, read as the application role with system reach. */
async function failures(userId: string) {
  await db.query('BEGIN');
  try {
    await db.query(`SELECT set_config('app.tenant_id', '', true), set_config('app.reach', 'system', true)`);
    const { rows } = await db.query<{ counted: boolean; n: string }>(
      'SELECT counted, count(*) AS n FROM identity.failed_logins WHERE user_id = $1 GROUP BY counted',
      [userId],
    );
    return { counted: Number(rows.find((r) => r.counted)?.n ?? 0), notCounted: Number(rows.find((r) => !r.counted)?.n ?? 0) };
  } finally {
    await db.query('ROLLBACK');
  }
}

async function newPerson() {
  const s = randomBytes(4).toString('hex');
  const input = {
    username: `id.sec.${s}`,
    email: `id.sec.${s}@example.org`,
    firstName: 'Sec',
    lastName: s,
    role: 'resident',
    facilityId: facilities.northRidge.id,
    temporaryPassword: TEMP,
  };
  const res = await gql<{ createUser: { id: string; username: string } }>(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { id username } }`,
    { input },
    { token: await facilityAdmin() },
  );
  const created = res.data!.createUser;
  // Their first sign-in replaces the temporary password (two logins; their sessions are ended).
  await activate(created.username, TEMP);
  await gql(`mutation($u: UUID!) { revokeAllSessions(userId: $u) }`, { u: created.id }, { token: await facilityAdmin() });
  return created;
}

describe('lockout', () => {
  it('counts exactly N of 50 concurrent wrong passwords, locks the account, and an admin unlocks it', async () => {
    const p = await newPerson();
    const results = await Promise.all(Array.from({ length: 50 }, () => gql(LOGIN, { u: p.username, p: 'Wrong-Password-123!' })));
    // Every attempt is refused as UNAUTHENTICATED (none fails on a timeout or lock wait).
    expect(results.filter((r) => codes(r).join() !== 'UNAUTHENTICATED').map((r) => r.errors ?? r.data)).toEqual([]);
    // Exactly MAX_FAILURES counted; the other 45 were recorded as refused while locked.
    expect(await failures(p.id)).toEqual({ counted: MAX_FAILURES, notCounted: 50 - MAX_FAILURES });
    // Locked or not, every answer is the same: nothing tells an attacker the username exists.
    const unknown = await gql(LOGIN, { u: `nobody-${crypto.randomUUID()}`, p: 'Wrong-Password-123!' });
    const answer = (r: typeof unknown) => JSON.stringify(r.errors!.map(({ message, extensions }) => ({ message, extensions })));
    expect(new Set(results.map(answer))).toEqual(new Set([answer(unknown)]));

    // Locked: even the right password is refused, in the same words.
    const right = await gql(LOGIN, { u: p.username, p: OWN });
    expect(answer(right)).toBe(answer(unknown));
    const before = await gql<{ user: { lockedUntil: string | null } }>(SECURITY, { id: p.id }, { token: await facilityAdmin() });
    expect(before.data!.user.lockedUntil).not.toBeNull();

    for (const token of [await teacher(), await resident()])
      expect(codes(await gql(UNLOCK, { id: p.id }, { token }))).toEqual(['FORBIDDEN']);
    const unlocked = await gql<{ unlockUser: { lockedUntil: string | null } }>(UNLOCK, { id: p.id }, { token: await facilityAdmin() });
    expect(unlocked.data!.unlockUser.lockedUntil).toBeNull();
    expect(codes(await gql(UNLOCK, { id: p.id }, { token: await facilityAdmin() }))).toEqual(['BAD_USER_INPUT']);
    expect((await gql<{ login: { userId: string } }>(LOGIN, { u: p.username, p: OWN })).data!.login.userId).toBe(p.id);

    const history = await gql<{ user: { accountHistory: { nodes: { action: string }[] } } }>(
      `query($id: UUID!) { user(id: $id) { accountHistory { nodes { action } } } }`,
      { id: p.id },
      { token: await facilityAdmin() },
    );
    expect(history.data!.user.accountHistory.nodes.map((n) => n.action)).toEqual([
      'account_unlocked',
      'account_locked',
      'sessions_revoked',
      'set_password',
      'account_creation',
    ]);
  });

  it('a wrong password below the limit does not lock, and a lock stops refresh of an open session', async () => {
    const p = await newPerson();
    const session = await login(p.username, OWN);
    for (let i = 1; i < MAX_FAILURES; i++)
      expect(codes(await gql(LOGIN, { u: p.username, p: 'Wrong-Password-123!' }))).toEqual(['UNAUTHENTICATED']);
    expect(await failures(p.id)).toEqual({ counted: MAX_FAILURES - 1, notCounted: 0 });
    const stillFine = await gql<{ refresh: { refreshToken: string } }>(REFRESH, { t: session.refreshToken });
    expect(stillFine.errors).toBeUndefined();
    expect(codes(await gql(LOGIN, { u: p.username, p: 'Wrong-Password-123!' }))).toEqual(['UNAUTHENTICATED']);
    expect(await failures(p.id)).toEqual({ counted: MAX_FAILURES, notCounted: 0 });
    expect(codes(await gql(REFRESH, { t: stillFine.data!.refresh.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('a deactivated person can neither sign in nor refresh', async () => {
    const p = await newPerson();
    const session = await login(p.username, OWN);
    await gql(
      `mutation($id: UUID!) { setUserStatus(id: $id, status: deactivated, reason: "released") { id } }`,
      { id: p.id },
      { token: await facilityAdmin() },
    );
    expect(codes(await gql(LOGIN, { u: p.username, p: OWN }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(REFRESH, { t: session.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('sessions and login metrics', () => {
  it('lists live sessions, ends one, then all ("log out everywhere"); counts logins', async () => {
    const p = await newPerson();
    const a = await login(p.username, OWN);
    const b = await login(p.username, OWN);
    const mine = await login(p.username, OWN);
    const me = await gql<{ user: { loginCount: number; lastLoginAt: string; sessions: { id: string }[] } }>(
      SECURITY,
      { id: p.id },
      { token: mine.accessToken },
    );
    // 3 here + the one sign-in of activation in newPerson (changePassword hands over a new session; it is not a sign-in)
    expect(me.data!.user.loginCount).toBe(4);
    expect(me.data!.user.sessions).toHaveLength(3);

    // Residents and staff cannot see or end someone else's sessions.
    const otherSessions = await gql<{ user: { sessions: unknown } }>(
      `query($id: UUID!) { user(id: $id) { sessions { id } } }`,
      { id: p.id },
      { token: await teacher() },
    );
    expect(otherSessions.data!.user.sessions).toBeNull();
    expect(codes(otherSessions)).toEqual(['FORBIDDEN']);
    const sessionIds = me.data!.user.sessions.map((s) => s.id);
    for (const token of [await teacher(), await resident()]) {
      expect(codes(await gql(REVOKE_ONE, { s: sessionIds[0] }, { token }))).toEqual(['NOT_FOUND']);
      expect(codes(await gql(REVOKE_ALL, { u: p.id }, { token }))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await gql(REVOKE_ONE, { s: '00000000-0000-4000-8000-000000000000' }, { token: mine.accessToken }))).toEqual(['NOT_FOUND']);

    // End session A (by the person themself): only A's refresh stops working.
    const sessionA = (await gql<{ refresh: { refreshToken: string } }>(REFRESH, { t: a.refreshToken })).data!.refresh.refreshToken;
    const after = await gql<{ user: { sessions: { id: string; lastActiveAt: string; startedAt: string }[] } }>(
      SECURITY,
      { id: p.id },
      { token: mine.accessToken },
    );
    const aId = after.data!.user.sessions.find((s) => s.lastActiveAt > s.startedAt)!.id;
    expect((await gql(REVOKE_ONE, { s: aId }, { token: mine.accessToken })).data).toEqual({ revokeSession: true });
    expect(codes(await gql(REFRESH, { t: sessionA }))).toEqual(['UNAUTHENTICATED']);
    const bNext = await gql<{ refresh: { refreshToken: string } }>(REFRESH, { t: b.refreshToken });
    expect(bNext.errors).toBeUndefined();

    // An administrator logs the person out everywhere.
    const all = await gql<{ revokeAllSessions: number }>(REVOKE_ALL, { u: p.id }, { token: await facilityAdmin() });
    expect(all.data!.revokeAllSessions).toBe(2);
    expect(codes(await gql(REFRESH, { t: bNext.data!.refresh.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await gql(REFRESH, { t: mine.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    const none = await gql<{ user: { sessions: unknown[] } }>(SECURITY, { id: p.id }, { token: await facilityAdmin() });
    expect(none.data!.user.sessions).toEqual([]);
  });
});
