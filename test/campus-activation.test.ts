import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedis, createLogger, EVENT_STREAM, Jobs, parseStreamEntry } from '@pathway/kit';
import { campusJobs, SERVICE_ACTOR, type CampusJobs } from '../subgraphs/campus/src/jobs.ts';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';
import { seed, type SeededTenant } from './support/seed.ts';

// Seed 003's activate_scheduled_classes: Scheduled classes become Active on their start date in
// their facility's time zone. The stack's campus process runs the job (kit jobs, bullmq); its cron
// schedule is off in tests, and this file adds the job to campus's queue itself, with the clock
// (`asOf`) it controls and its own tenant, so no other file's classes change.
let tenant: SeededTenant;
let otherTenant: SeededTenant;
let db: pg.Client;
let jobs: Jobs<CampusJobs>;
const statusOf = async (id: string) =>
  (await db.query('SELECT status::text AS s FROM campus.program_classes WHERE id = $1', [id])).rows[0].s as string;

/** Waits until `check` holds (the job ran), at most 15 s. */
async function until(check: () => Promise<boolean>) {
  for (let i = 0; i < 150; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the activation job did not run in time');
}
const run = (asOf: string, tenantId = tenant.id) => jobs.add('classes.activate_scheduled', { asOf, tenantId });

beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  jobs = new Jobs<CampusJobs>({ redisUrl: inject('redisUrl'), subgraph: 'campus', log: createLogger('campus-activation-test', 'warn') });
  // Only `add` is used here (its key and retry settings come from the definitions); the campus process runs the job.
  jobs.define(campusJobs({ config: { CAMPUS_ACTIVATION_CRON: 'off' } } as Parameters<typeof campusJobs>[0]));
  [tenant, otherTenant] = await Promise.all([seed.tenant(), seed.tenant()]);
});
afterAll(async () => {
  await jobs.close();
  await db.end();
});

describe('scheduled activation job', () => {
  it('activates a class on its start date in the facility’s time zone, not a minute before', async () => {
    const chicago = await tenant.facility({ timezone: 'America/Chicago' });
    const tokyo = await tenant.facility({ timezone: 'Asia/Tokyo' });
    const [pc, pt] = await Promise.all([chicago.program(), tokyo.program()]);
    // 23:30 on 9 March in Chicago (05:30Z on the 10th): its start date is the 9th there.
    const lateEvening = await pc.class({ startDt: '2027-03-10T05:30:00Z' });
    const nextDay = await pc.class({ startDt: '2027-03-10T12:00:00Z' });
    // 01:00 on 9 March in Tokyo (16:00Z on the 8th).
    const tokyoClass = await pt.class({ startDt: '2027-03-08T16:00:00Z' });
    const cancelled = await pc.class({ startDt: '2027-01-01T12:00:00Z' });
    await gql(
      `mutation($id: UUID!) { changeProgramClassStatus(id: $id, status: Cancelled, reason: "no instructor") { status } }`,
      { id: cancelled.id },
      { token: await tokenFor(users.sysadmin.username) },
    );
    const elsewhere = await (
      await otherTenant.facility({ timezone: 'America/Chicago' })
    )
      .program()
      .then((p) => p.class({ startDt: '2027-03-01T12:00:00Z' }));

    // 23:59 on 8 March in Chicago, 14:59 on 9 March in Tokyo.
    await run('2027-03-09T05:59:00Z');
    await until(async () => (await statusOf(tokyoClass.id)) === 'Active');
    expect(await statusOf(lateEvening.id)).toBe('Scheduled');

    // Midnight of 9 March in Chicago.
    await run('2027-03-09T06:00:00Z');
    await until(async () => (await statusOf(lateEvening.id)) === 'Active');
    expect(await statusOf(nextDay.id)).toBe('Scheduled');

    await run('2027-03-10T06:00:00Z');
    await until(async () => (await statusOf(nextDay.id)) === 'Active');
    expect(await statusOf(cancelled.id)).toBe('Cancelled');
    // Another tenant's run was not asked for: its class, due as well, is untouched.
    expect(await statusOf(elsewhere.id)).toBe('Scheduled');

    const log = await db.query(
      `SELECT actor_id, reason, before, after FROM campus.class_changes WHERE class_id = $1 AND action = 'class.status_changed'`,
      [lateEvening.id],
    );
    expect(log.rows).toEqual([
      {
        actor_id: SERVICE_ACTOR.userId,
        reason: 'start date reached (activate_scheduled_classes)',
        before: { status: 'Scheduled' },
        after: { status: 'Active' },
      },
    ]);
    // Each activation went out as an event, in the same transaction (the outbox relay publishes it).
    await until(() => published(lateEvening.id));
  });

  it('a later run changes nothing more', async () => {
    const f = await tenant.facility({ timezone: 'America/New_York' });
    const c = await (await f.program()).class({ startDt: '2027-04-01T16:00:00Z' });
    await run('2027-04-01T04:00:00Z');
    await until(async () => (await statusOf(c.id)) === 'Active');
    await run('2027-04-02T04:00:00Z');
    await new Promise((r) => setTimeout(r, 1000));
    const lines = await db.query(
      `SELECT count(*)::int AS n FROM campus.class_changes WHERE class_id = $1 AND action = 'class.status_changed'`,
      [c.id],
    );
    expect(lines.rows[0].n).toBe(1);
  });
});

/** Whether the event stream carries a campus.class.status_changed event (to Active) about `entityId`. */
async function published(entityId: string): Promise<boolean> {
  const redis = connectRedis(inject('redisUrl'), 'campus-activation-test');
  try {
    const entries = (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 1000)) as [string, string[]][];
    return entries
      .map(([id, fields]) => parseStreamEntry(id, fields))
      .some((e) => e?.type === 'campus.class.status_changed' && e.entityId === entityId && e.payload?.status === 'Active');
  } finally {
    redis.disconnect();
  }
}
