// A provider sync of BENCH_COURSES (2,000) Canvas courses × 50 milestones each (5 students, each
// enrolled and submitting all 9 assignments: 5 × (1 + 9) = 50), against a local server answering as
// Canvas does: time, SQL statements per course, and peak memory, for a first run and for a second
// run over unchanged data (which must write nothing). The sync runs in this process on the stack's
// database (migrated, RLS on); people are matched by an in-memory directory, so identity's lookup is
// not part of the figures. The fake Canvas lives in this process too: its data is in the memory figures.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createEventPublisher, keyRing, pgAdapter, sealSecret } from '@pathway/kit';
import { PrismaClient } from '../../subgraphs/learning/src/generated/prisma/client.ts';
import { DEV_SECRET } from '../../subgraphs/learning/src/providers/settings.ts';
import type { PersonDirectory } from '../../subgraphs/learning/src/sync/people.ts';
import { runSyncTask } from '../../subgraphs/learning/src/sync/run.ts';
import { canvasData, startFakeCanvas, submit } from '../../test/support/canvas-server.ts';
import { benchStack } from './support.ts';

const COURSES = Number(process.env.BENCH_COURSES ?? 2000);
const STUDENTS = 5;
const ASSIGNMENTS = 9;

export async function run(): Promise<void> {
  const stack = await benchStack('learning_sync');
  const data = canvasData({ courses: COURSES, students: STUDENTS, assignments: ASSIGNMENTS });
  for (const course of data.courses)
    for (const user of data.users) for (let a = 1; a <= ASSIGNMENTS; a++) submit(data, course.id, user.id, a);
  const fake = await startFakeCanvas(data);
  const prisma = new PrismaClient({
    adapter: pgAdapter(stack.databaseUrl, 'learning', 4, 10_000),
    log: [{ emit: 'event', level: 'query' }],
  });
  let statements = 0;
  prisma.$on('query', () => void statements++);
  const ring = keyRing(undefined, { nodeEnv: 'development', variable: 'PROVIDER_SECRET_KEYS', devSecret: DEV_SECRET });
  try {
    const tenantId = randomUUID();
    const platformId = randomUUID();
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    await db.query(
      `INSERT INTO learning.provider_platforms (id, tenant_id, type, name, account_id, base_url, access_key_encrypted, credentials_set_at, updated_at)
       VALUES ($1, $2, 'canvas_oss', 'Bench Canvas', '1', $3, $4, now(), now())`,
      [platformId, tenantId, fake.url, sealSecret(ring, fake.token, platformId)],
    );
    const people = new Map(
      data.users.map((u) => [String(u.id), { id: randomUUID(), username: u.login_id!, email: u.email ?? null, facilityId: null }]),
    );
    const directory: PersonDirectory = {
      match: async (_tenant, users) =>
        new Map(
          users
            .filter((u) => people.has(u.externalId))
            .map((u) => [u.externalId, { person: people.get(u.externalId)!, by: 'email' as const }]),
        ),
      person: async () => null,
    };
    const deps = {
      prisma,
      events: createEventPublisher('learning'),
      settings: { ring, allowPrivateNetworks: true, timeoutMs: 15_000, maxAttempts: 4, backoffMs: 200 },
      directory,
    };
    console.log(`${COURSES} courses × ${STUDENTS * (1 + ASSIGNMENTS)} milestones (${STUDENTS} students, ${ASSIGNMENTS} assignments each)`);
    for (const label of ['first run', 'second run (unchanged)']) {
      const { rows } = await db.query(
        `INSERT INTO learning.tasks (id, tenant_id, provider_platform_id, type, updated_at) VALUES ($1, $2, $3, 'provider.sync', now()) RETURNING id`,
        [randomUUID(), tenantId, platformId],
      );
      global.gc?.();
      const baseline = process.memoryUsage();
      let peakRss = baseline.rss;
      let peakHeap = baseline.heapUsed;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 20);
      const before = statements;
      const started = performance.now();
      const task = await runSyncTask(deps, rows[0].id as string);
      const ms = performance.now() - started;
      clearInterval(sampler);
      const used = statements - before;
      const counts = task!.result as Record<string, number>;
      console.log(
        `${label}: ${task!.status} in ${(ms / 1000).toFixed(1)} s (${(ms / COURSES).toFixed(1)} ms/course); ` +
          `${used} SQL statements (${(used / COURSES).toFixed(1)} per course); ` +
          `peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (+${((peakRss - baseline.rss) / 2 ** 20).toFixed(0)} MB), ` +
          `peak heap ${(peakHeap / 2 ** 20).toFixed(0)} MB (+${((peakHeap - baseline.heapUsed) / 2 ** 20).toFixed(0)} MB)`,
      );
      console.log(
        `  counts: courses +${counts.coursesCreated} ~${counts.coursesUpdated} =${counts.coursesUnchanged}, ` +
          `enrollments +${counts.enrollmentsCreated} =${counts.enrollmentsUnchanged}, milestones +${counts.milestonesCreated} =${counts.milestonesUnchanged}, ` +
          `outcomes +${counts.outcomesCreated}, pages ${counts.pages}`,
      );
      await db.query('DELETE FROM learning.outbox_events'); // the stack's relay need not publish 100k events
    }
    await db.end();
  } finally {
    await prisma.$disconnect();
    await fake.close();
    await stack.dispose();
  }
}
