// The facility dashboard (classes → roster → attendance rate) at two data sizes: latency through
// the gateway, and how many SQL statements the campus subgraph issues for it (which must not grow
// with the number of classes or residents). Also the seed and the query counter the campus
// dashboard test uses.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createLogger, pgAdapter, readSubgraphSdl, serveSubgraph, signIdentity, IDENTITY_HEADER, type Identity } from '@pathway/kit';
import { campusPermissions } from '../../packages/kit/src/permission-catalog/campus.ts';
import { createContext } from '../../subgraphs/campus/src/context.ts';
import { PrismaClient } from '../../subgraphs/campus/src/generated/prisma/client.ts';
import { permissions } from '../../subgraphs/campus/src/permissions.ts';
import { resolvers } from '../../subgraphs/campus/src/resolvers/index.ts';
import { appDatabaseUrl } from '../database.ts';
import { users } from '../demo/ids.ts';
import { benchStack, gql, loginAs, percentile } from './support.ts';

export const DASHBOARD = `query($id: UUID!, $from: DateTime!, $to: DateTime!) { facility(id: $id) { id name
  classes(first: 100) { nodes { id name status activeEnrollmentCount
    enrollments(first: 100) { nodes { status user { id } } }
    attendanceRate(from: $from, to: $to) { present recorded rate } } } } }`;
export const RANGE = { from: '2026-10-01T00:00:00Z', to: '2026-11-01T00:00:00Z' };

export interface SeededFacility {
  tenantId: string;
  facilityId: string;
  programId: string;
  classIds: string[];
  userIds: string[];
}

/**
 * A facility of a fresh tenant with `classes` classes of `residents` people each (statuses cycle
 * Enrolled, Completed, Incomplete_Dropped, Enrolled), one weekly event per class and one attendance
 * row per person (present for even indexes). Written directly with the administrator's connection
 * (`app.reach = system` is set too, so an app-role connection would also pass RLS): nothing of the
 * demo tenants is touched.
 */
export async function seedFacility(
  databaseUrl: string,
  size: { classes: number; residents: number },
  /** Another facility of this tenant (default: a fresh tenant). */
  inTenant?: string,
): Promise<SeededFacility> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("SELECT set_config('app.reach', 'system', false)");
    const tenantId = inTenant ?? randomUUID();
    const facilityId = randomUUID();
    const programId = randomUUID();
    const suffix = facilityId.slice(0, 8);
    await db.query('INSERT INTO campus.facilities (id, tenant_id, name, timezone, updated_at) VALUES ($1, $2, $3, $4, now())', [
      facilityId,
      tenantId,
      `Dashboard facility ${suffix}`,
      'America/Chicago',
    ]);
    await db.query('INSERT INTO campus.programs (id, tenant_id, name, updated_at) VALUES ($1, $2, $3, now())', [
      programId,
      tenantId,
      `Dashboard program ${suffix}`,
    ]);
    await db.query('INSERT INTO campus.facilities_programs (facility_id, program_id, tenant_id) VALUES ($1, $2, $3)', [
      facilityId,
      programId,
      tenantId,
    ]);
    const classIds: string[] = [];
    const userIds = Array.from({ length: size.classes * size.residents }, () => randomUUID());
    const statuses = ['Enrolled', 'Completed', 'Incomplete: Dropped', 'Enrolled'];
    for (let c = 0; c < size.classes; c++) {
      const classId = randomUUID();
      const eventId = randomUUID();
      classIds.push(classId);
      await db.query(
        `INSERT INTO campus.program_classes (id, tenant_id, facility_id, program_id, name, status, start_dt, updated_at) VALUES ($1, $2, $3, $4, $5, 'Active', '2026-09-01T12:00:00Z', now())`,
        [classId, tenantId, facilityId, programId, `Dashboard class ${c} ${suffix}`],
      );
      await db.query(
        `INSERT INTO campus.program_class_events (id, tenant_id, facility_id, class_id, starts_at, duration_minutes, recurrence_rule, updated_at) VALUES ($1, $2, $3, $4, '2026-10-05T14:00:00Z', 60, 'FREQ=WEEKLY;COUNT=10', now())`,
        [eventId, tenantId, facilityId, classId],
      );
      for (let r = 0; r < size.residents; r++) {
        const userId = userIds[c * size.residents + r]!;
        const enrollmentId = randomUUID();
        const status = statuses[r % statuses.length]!;
        await db.query(
          `INSERT INTO campus.program_class_enrollments (id, tenant_id, facility_id, class_id, user_id, enrollment_status, enrolled_at, enrollment_ended_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6::campus.program_enrollment_status, '2026-09-01T12:00:00Z', $7, now())`,
          [enrollmentId, tenantId, facilityId, classId, userId, status, status === 'Enrolled' ? null : '2026-10-20T12:00:00Z'],
        );
        await db.query(
          `INSERT INTO campus.program_class_event_attendance (id, tenant_id, facility_id, class_id, event_id, enrollment_id, user_id, date, attendance_status, recorded_by, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, '2026-10-05', $8::campus.attendance, $7, now())`,
          [randomUUID(), tenantId, facilityId, classId, eventId, enrollmentId, userId, r % 2 === 0 ? 'present' : 'absent_unexcused'],
        );
      }
    }
    return { tenantId, facilityId, programId, classIds, userIds };
  } finally {
    await db.end();
  }
}

/**
 * A campus subgraph of our own, in this process, whose Prisma client counts the SQL statements it
 * sends (Prisma's `query` log event: one per statement, transaction BEGIN/COMMIT and RLS settings
 * included). Same schema, resolvers, permissions and context as the real subgraph; it serves over
 * HTTP and verifies the signed identity header like it. Events are not needed by queries.
 */
export async function countingCampus(databaseUrl: string, internalSecret: string) {
  const prisma = new PrismaClient({ adapter: pgAdapter(databaseUrl, 'campus'), log: [{ emit: 'event', level: 'query' }] });
  let statements = 0;
  prisma.$on('query', () => void statements++);
  const deps = { prisma, events: { publish: async () => {} } } as unknown as Parameters<typeof createContext>[1];
  const log = createLogger('campus-counting', 'warn');
  const server = await serveSubgraph(
    { name: 'campus', typeDefs: readSubgraphSdl('campus'), resolvers, permissions, context: (base) => createContext(base, deps) },
    { port: 0, host: '127.0.0.1', internalSecret, log },
  );
  return {
    /** Runs a query as `identity` and returns its result and the number of SQL statements it caused. */
    async query(identity: Identity, query: string, variables: Record<string, unknown>) {
      const header = await signIdentity(identity, internalSecret);
      const before = statements;
      const res = await fetch(server.url.replace('localhost', '127.0.0.1'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: header },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: unknown; errors?: unknown[] };
      return { body, statements: statements - before };
    },
    async stop() {
      await server.stop();
      await prisma.$disconnect();
    },
  };
}

/** A department administrator of the seeded tenant, with the default grants of that role. */
export function tenantAdmin(tenantId: string): Identity {
  const perms = Object.entries(campusPermissions)
    .filter(([, p]) => p.grantedTo.includes('department_admin'))
    .map(([key]) => key);
  return { userId: randomUUID(), tenantId, facilityId: null, roles: ['department_admin'], permissions: perms };
}

const SIZES = [
  { classes: 3, residents: 4 },
  { classes: 12, residents: 16 },
  { classes: 50, residents: 40 },
];
const RUNS = Number(process.env.BENCH_RUNS ?? 50);

export async function run(): Promise<void> {
  const stack = await benchStack('campus_dashboard');
  // The stack's URL is the administrator's (seeding); the counting subgraph connects as the app role, like the real one.
  const counter = await countingCampus(appDatabaseUrl(stack.databaseUrl, stack.secrets.APP_DB_PASSWORD), stack.secrets.INTERNAL_JWT_SECRET);
  try {
    const token = await loginAs(stack.gatewayUrl, users.sysadmin.username);
    for (const size of SIZES) {
      const seeded = await seedFacility(stack.databaseUrl, size);
      const variables = { id: seeded.facilityId, ...RANGE };
      const { statements } = await counter.query(tenantAdmin(seeded.tenantId), DASHBOARD, variables);
      const check = await gql<{ facility: { classes: { nodes: unknown[] } } }>(stack.gatewayUrl, DASHBOARD, variables, token);
      if (check.errors || check.data?.facility.classes.nodes.length !== size.classes)
        throw new Error(`dashboard failed: ${JSON.stringify(check.errors)}`);
      for (let i = 0; i < 5; i++) await gql(stack.gatewayUrl, DASHBOARD, variables, token); // warm-up
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await gql(stack.gatewayUrl, DASHBOARD, variables, token);
        times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(
        `${size.classes} classes × ${size.residents} residents: ${statements} SQL statements; latency through the gateway over ${RUNS} runs: ` +
          `p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`,
      );
    }
  } finally {
    await counter.stop();
    await stack.dispose();
  }
}
