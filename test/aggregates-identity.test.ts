// identityStats through the gateway: counts of people for analysts, in a tenant of this test's own
// (written straight into the database, so other tests creating people don't move the figures).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signAccessToken, type Role } from '@pathway/kit';
import { codes, gql } from './support/client.ts';

const STATS = `query($from: DateTime, $to: DateTime) { identityStats(from: $from, to: $to) {
  people peopleByStatus { status count } peopleByRole { role count } peopleByFacility { facilityId count } signInsByMonth { period count } } }`;

type Counted = { count: number | string } & Record<string, unknown>;
const tally = (rows: Counted[], key: string) => Object.fromEntries(rows.map((row) => [String(row[key]), row.count]));
interface IdentityStats {
  people: number | string;
  peopleByStatus: Counted[];
  peopleByRole: Counted[];
  peopleByFacility: Counted[];
  signInsByMonth: Counted[];
}

const tenantId = randomUUID();
const [north, south] = [randomUUID(), randomUUID()];
/** The tenant's people: status, home facility, roles, and the months their sessions started in. */
const people: { status: string; facility: string | null; roles: Role[]; sessions: string[] }[] = [
  { status: 'active', facility: null, roles: ['analyst'], sessions: ['2026-10-03', '2026-11-10'] },
  { status: 'active', facility: north, roles: ['resident'], sessions: ['2026-10-20', '2026-10-21'] },
  { status: 'suspended', facility: north, roles: ['resident'], sessions: [] },
  { status: 'active', facility: south, roles: ['staff', 'facility_admin'], sessions: ['2026-11-02'] },
];
const ids = people.map(() => randomUUID());
let db: pg.Client;

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  await db.query(`INSERT INTO identity.tenants (id, slug, name, updated_at) VALUES ($1, $2, 'Stats tenant', now())`, [
    tenantId,
    `stats-${tenantId.slice(0, 8)}`,
  ]);
  for (const [i, person] of people.entries()) {
    await db.query(
      `INSERT INTO identity.users (id, tenant_id, username, email, password_hash, first_name, last_name, status, home_facility_id, updated_at)
       VALUES ($1, $2, $3, $4, 'x', 'Stats', 'Person', $5, $6, now())`,
      [ids[i], tenantId, `stats.${ids[i]!.slice(0, 8)}`, `${ids[i]}@stats.example.org`, person.status, person.facility],
    );
    for (const role of person.roles)
      await db.query(
        `INSERT INTO identity.user_roles (user_id, role_id, tenant_id) SELECT $1, id, $2 FROM identity.roles WHERE name = $3`,
        [ids[i], tenantId, role],
      );
    for (const day of person.sessions) {
      const sessionId = randomUUID();
      // A sign-in and one refresh rotation a day later: one session, counted once, in its first month.
      for (const offset of [0, 1]) {
        await db.query(
          `INSERT INTO identity.refresh_tokens (id, user_id, tenant_id, token_hash, session_id, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, now() + interval '1 day', $6::date + $7 * interval '1 day')`,
          [randomUUID(), ids[i], tenantId, randomUUID(), sessionId, day, offset],
        );
      }
    }
  }
  // A deleted person counts nowhere.
  await db.query(
    `INSERT INTO identity.users (id, tenant_id, username, email, password_hash, first_name, last_name, home_facility_id, deleted_at, updated_at) VALUES ($1, $2, $3, $4, 'x', 'Gone', 'Person', $5, now(), now())`,
    [randomUUID(), tenantId, `stats.gone.${tenantId.slice(0, 8)}`, `gone.${tenantId}@stats.example.org`, north],
  );
});

afterAll(async () => {
  await db.query('DELETE FROM identity.users WHERE tenant_id = $1', [tenantId]);
  await db.query('DELETE FROM identity.tenants WHERE id = $1', [tenantId]);
  await db.end();
});

/** A token of the person at `index`; `roles` overrides theirs (the analyst as the tenant's administrator sees exact small counts). */
async function tokenOf(index: number, roles?: Role[]) {
  const person = people[index]!;
  const { token } = await signAccessToken(
    { userId: ids[index]!, tenantId, facilityId: person.facility, roles: roles ?? person.roles, sessionId: randomUUID() },
    inject('secrets').ACCESS_JWT_SECRET,
    300,
  );
  return token;
}

describe('identityStats', () => {
  it('shows an analyst counts below 5 as "<5" (small-cell suppression)', async () => {
    const res = await gql<{ identityStats: IdentityStats }>(STATS, {}, { token: await tokenOf(0) });
    expect(res.errors).toBeUndefined();
    const stats = res.data!.identityStats;
    expect(stats.people).toBe('<5');
    expect(tally(stats.peopleByStatus, 'status')).toEqual({ active: '<5', suspended: '<5' });
    expect(tally(stats.peopleByRole, 'role')).toEqual({ analyst: '<5', resident: '<5', staff: '<5', facility_admin: '<5' });
    expect(stats.signInsByMonth.map((m) => m.count)).toEqual(['<5', '<5']);
  });

  it("counts a department admin's whole tenant by status, role and facility, and sign-ins per month, with no personal field", async () => {
    const res = await gql<{ identityStats: IdentityStats }>(STATS, {}, { token: await tokenOf(0, ['department_admin']) });
    expect(res.errors).toBeUndefined();
    const stats = res.data!.identityStats;
    expect(stats.people).toBe(4);
    expect(tally(stats.peopleByStatus, 'status')).toEqual({ active: 3, suspended: 1 });
    expect(tally(stats.peopleByRole, 'role')).toEqual({ analyst: 1, resident: 2, staff: 1, facility_admin: 1 });
    expect(tally(stats.peopleByFacility, 'facilityId')).toEqual({ [north]: 2, [south]: 1, null: 1 });
    expect(stats.signInsByMonth).toEqual([
      { period: '2026-10', count: 3 },
      { period: '2026-11', count: 2 },
    ]);
    expect(JSON.stringify(stats)).not.toMatch(/Stats|Person|@stats|stats\./);
  });

  it('counts sign-ins in [from, to) only, and refuses a range that ends before it starts', async () => {
    const token = await tokenOf(0, ['department_admin']);
    const res = await gql<{ identityStats: { signInsByMonth: Counted[] } }>(
      STATS,
      { from: '2026-10-21T00:00:00Z', to: '2026-11-05T00:00:00Z' },
      { token },
    );
    expect(res.data!.identityStats.signInsByMonth).toEqual([
      { period: '2026-10', count: 1 },
      { period: '2026-11', count: 1 },
    ]);
    expect(codes(await gql(STATS, { from: '2026-11-05T00:00:00Z', to: '2026-10-01T00:00:00Z' }, { token }))).toEqual(['BAD_USER_INPUT']);
  });

  it('counts only the facility of a facility admin, and is refused to a resident', async () => {
    const res = await gql<{ identityStats: { people: number; peopleByFacility: Counted[] } }>(STATS, {}, { token: await tokenOf(3) });
    expect(res.errors).toBeUndefined();
    expect(res.data!.identityStats.people).toBe(1);
    expect(tally(res.data!.identityStats.peopleByFacility, 'facilityId')).toEqual({ [south]: 1 });
    expect(codes(await gql(STATS, {}, { token: await tokenOf(1) }))).toEqual(['FORBIDDEN']);
  });

  it('gives an analyst no rows of people', async () => {
    const res = await gql('{ users(first: 5) { nodes { id } } }', {}, { token: await tokenOf(0) });
    expect(codes(res)).toContain('FORBIDDEN');
  });
});
