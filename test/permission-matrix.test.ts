import { readFileSync } from 'node:fs';
import { Roles, type Role } from '@pathway/kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor, type GraphQLResponse } from './support/client.ts';
import {
  enrollmentVisible,
  INSTRUCTOR,
  PLACED_AT_FACILITY,
  policyAllows,
  policyTable,
  RELATIONS,
  SENSITIVE_FIELDS,
  type Relation,
} from './support/permission-policy.ts';
import { seed, type SeededPerson } from './support/seed.ts';

// The permission matrix: every sensitive field of a person (test/support/permission-policy.ts), read
// by a caller of every role, of themself and of residents at their facility (one in a class the
// matrix's staff member teaches, one in none of theirs), at another facility of their tenant and in
// another tenant; straight from identity (`user(id:)`) and through campus's
// reference to the person (`classEnrollment → user`). Each reading is compared with the policy, and
// the README prints the same policy for people to audit.

type Path = 'top' | 'reference';
interface Target {
  id: string;
  /** The class enrollment the reference path starts from (residents only). */
  enrollmentId?: string;
}

const SELECTION = Object.values(SENSITIVE_FIELDS)
  .map((f) => f.selection)
  .join(' ');
const TOP = `query Matrix($id: UUID!) { user(id: $id) { id ${SELECTION} } }`;
const REFERENCE = `query MatrixThroughCampus($id: UUID!) { classEnrollment(id: $id) { user { id ${SELECTION} } } }`;

/** Per field: read (value present), or not (denied, absent, or null). */
type Reading = Record<string, boolean>;

function readFields(answer: GraphQLResponse, path: Path): { reading: Reading; unexpected: string[] } {
  const base = path === 'top' ? ['user'] : ['classEnrollment', 'user'];
  let person = answer.data as Record<string, unknown> | null | undefined;
  for (const key of base) person = (person?.[key] ?? null) as Record<string, unknown> | null;
  const unexpected = (answer.errors ?? [])
    .filter((e) => e.extensions?.code !== 'FORBIDDEN')
    .map((e) => `${e.extensions?.code}: ${e.message}`);
  const reading: Reading = {};
  for (const name of Object.keys(SENSITIVE_FIELDS)) {
    const field = name.split('.')[1]!;
    const denied = (answer.errors ?? []).some((e) => e.path?.[base.length] === field && base.every((k, i) => e.path?.[i] === k));
    const value = person?.[field];
    const rows = value && typeof value === 'object' && 'nodes' in value ? (value.nodes as unknown[]).length : null;
    reading[name] = !denied && value != null && (Array.isArray(value) ? value.length > 0 : rows !== 0);
  }
  return { reading, unexpected };
}

let callers: Record<Role, { person: SeededPerson; token: string; enrollmentId?: string }>;
let targets: Record<Exclude<Relation, 'self'>, Target>;

beforeAll(async () => {
  const tenant = await seed.tenant({ name: 'Matrix tenant' });
  const other = await seed.tenant({ name: 'Matrix other tenant' });
  const [a, b, x] = await Promise.all([tenant.facility(), tenant.facility(), other.facility()]);
  const people = await Promise.all(Roles.map((role) => (PLACED_AT_FACILITY.has(role) ? a.person(role) : tenant.person(role))));
  const callerOf = (role: Role) => people[Roles.indexOf(role)]!;
  const [rC, rA, rB, rX] = await Promise.all([a.resident(), a.resident(), b.resident(), x.resident()]);
  const admin = await tokenFor(users.sysadmin.username);
  const run = async (query: string, variables: Record<string, unknown>) => {
    const answer = await gql(query, variables, { token: admin });
    if (answer.errors) throw new Error(`matrix setup: ${JSON.stringify(answer.errors)}`);
  };
  // What makes every field hold something to read: a resident number, a sign-in, an enrollment, a private asset.
  const residents = [rC, rA, rB, rX, callerOf('resident')];
  await Promise.all(
    residents.map((r, i) =>
      run('mutation($id: UUID!, $n: String!) { updateUser(id: $id, input: { residentNumber: $n }) { id } }', {
        id: r.id,
        n: `MX-${i}-${r.id.slice(0, 8)}`,
      }),
    ),
  );
  const [taught, untaught, atB, atX] = await Promise.all([a, a, b, x].map((f) => f.program().then((p) => p.class())));
  await run('mutation($c: UUID!, $u: UUID!) { assignInstructor(classId: $c, userId: $u) { id } }', {
    c: taught!.id,
    u: callerOf(INSTRUCTOR).id,
  });
  const [[cEnrollment], [aEnrollment, selfEnrollment], [bEnrollment], [xEnrollment]] = await Promise.all([
    taught!.enroll(rC),
    untaught!.enroll(rA, callerOf('resident')),
    atB!.enroll(rB),
    atX!.enroll(rX),
  ]);
  await Promise.all([...people, rC, rA, rB].map((p) => tenant.asset(p, { listed: false })));
  await other.asset(rX, { listed: false });
  const tokens = await Promise.all(people.map((p) => p.api().then((s) => s.accessToken)));
  await Promise.all([rC, rA, rB, rX].map((p) => p.api()));
  callers = Object.fromEntries(
    Roles.map((role, i) => [
      role,
      { person: people[i]!, token: tokens[i]!, enrollmentId: role === 'resident' ? selfEnrollment : undefined },
    ]),
  ) as typeof callers;
  targets = {
    own_student: { id: rC.id, enrollmentId: cEnrollment },
    same_facility: { id: rA.id, enrollmentId: aEnrollment },
    other_facility: { id: rB.id, enrollmentId: bEnrollment },
    other_tenant: { id: rX.id, enrollmentId: xEnrollment },
  };
}, 300_000);

describe('the permission matrix of a person’s sensitive fields', () => {
  it('every role reads exactly what the policy says, directly and through a reference from campus', { timeout: 300_000 }, async () => {
    const admin = await tokenFor(users.sysadmin.username);
    const mismatches: string[] = [];
    const unexpected: string[] = [];
    for (const role of Roles) {
      const caller = callers[role];
      for (const relation of RELATIONS) {
        const target: Target = relation === 'self' ? { id: caller.person.id, enrollmentId: caller.enrollmentId } : targets[relation];
        for (const path of ['top', 'reference'] as const) {
          if (path === 'reference' && !target.enrollmentId) continue;
          const [query, id] = path === 'top' ? [TOP, target.id] : [REFERENCE, target.enrollmentId!];
          // What there is to read, as the system administrator sees it: a field holding nothing is not probed.
          const [truth, seen] = await Promise.all([gql(query, { id }, { token: admin }), gql(query, { id }, { token: caller.token })]);
          const present = readFields(truth, path).reading;
          const observed = readFields(seen, path);
          unexpected.push(...observed.unexpected.map((e) => `${role} ${relation} ${path}: ${e}`));
          for (const [name, field] of Object.entries(SENSITIVE_FIELDS)) {
            if (!present[name]) continue;
            const expected = policyAllows(role, relation, field) && (path === 'top' || enrollmentVisible(role, relation));
            if (observed.reading[name] !== expected)
              mismatches.push(
                `${role} reading ${name} of ${relation} (${path}): ${observed.reading[name] ? 'read' : 'denied'}, policy says ${expected ? 'read' : 'denied'}`,
              );
          }
        }
      }
    }
    expect(unexpected).toEqual([]);
    expect(mismatches).toEqual([]);
  });

  it('every field of the policy had something to read for some target, so no cell went untested', async () => {
    const admin = await tokenFor(users.sysadmin.username);
    const reading = readFields(await gql(TOP, { id: targets.same_facility.id }, { token: admin }), 'top').reading;
    expect(Object.entries(reading).filter(([, read]) => !read)).toEqual([]);
  });

  it('the README prints the policy as it is (pnpm permission-matrix rewrites it)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(policyTable());
  });
});
