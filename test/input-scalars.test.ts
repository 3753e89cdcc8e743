import { beforeAll, describe, expect, inject, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor, type GraphQLResponse } from './support/client.ts';

// Malformed scalars once reached PostgreSQL (an id that is not a UUID, year 0) or blew the stack (JSON
// nested 5,000 deep) and came back as internal errors quoting the database. Each scalar is now checked
// where it enters a subgraph (kit scalars.ts over graphql-scalars) and refused as the client's mistake.

const codes = (answer: GraphQLResponse) => answer.errors?.map((e) => e.extensions?.code);
const LEAKS = /prisma|postgres|invalid input syntax|out of range|call stack|https?:\/\/|\.ts:\d+/i;

function expectRefused(answer: GraphQLResponse, mention: RegExp) {
  expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
  expect(answer.errors?.[0]?.message).toMatch(mention);
  expect(JSON.stringify(answer)).not.toMatch(LEAKS);
}

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { child: value };
  return value;
};

describe('scalars validated at the edge', () => {
  let admin: string;
  let resident: string;
  beforeAll(async () => {
    [admin, resident] = await Promise.all([tokenFor(users.sysadmin.username), tokenFor(users.residentLee.username)]);
  });

  it('refuses an id that is not a UUID, as a literal or a variable, in identity, campus and market', async () => {
    const answers = await Promise.all([
      gql(`{ user(id: "not-a-uuid") { id } }`, {}, { token: admin }),
      gql(`query($id: UUID!) { user(id: $id) { id } }`, { id: '' }, { token: admin }),
      gql(`mutation($id: UUID!) { updateUser(id: $id, input: { firstName: "X" }) { id } }`, { id: '1234' }, { token: admin }),
      gql(`{ programClass(id: "42") { id } }`, {}, { token: admin }),
      gql(`query($id: UUID!) { property(id: $id) { id } }`, { id: "' OR 1=1 --" }, { token: admin }),
    ]);
    for (const answer of answers) expectRefused(answer, /UUID/);
  });

  it('still answers null for a well-formed id that names nothing', async () => {
    const answer = await gql(`{ user(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, { token: admin });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ user: null });
  });

  it('refuses DateTimes that are not ISO-8601 or lie outside years 1–9999', async () => {
    const report = `query($from: DateTime!, $to: DateTime!) { classAttendanceReport(classId: "00000000-0000-4000-8000-000000000000", from: $from, to: $to) { rows { userId } } }`;
    const answers = await Promise.all([
      gql(report, { from: '', to: '2026-01-01T00:00:00Z' }, { token: admin }),
      gql(report, { from: '0000-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, { token: admin }),
      gql(
        `{ classAttendanceReport(classId: "00000000-0000-4000-8000-000000000000", from: "yesterday", to: "2026-01-01T00:00:00Z") { rows { userId } } }`,
        {},
        { token: admin },
      ),
    ]);
    for (const answer of answers) expectRefused(answer, /DateTime|date/i);
  });

  it('refuses JSON nested too deep (20 levels) or 5,000 deep, and stores nothing', async () => {
    const set = `mutation($value: JSON!) { setMyPreference(key: "deep", value: $value) { key } }`;
    expectRefused(await gql(set, { value: nested(21) }, { token: resident }), /nested at most 20/);
    // Written out by hand: JSON.stringify itself overflows the stack at this depth.
    const body = `{"query":${JSON.stringify(set)},"variables":{"value":${'{"child":'.repeat(5_000)}"leaf"${'}'.repeat(5_000)}}}`;
    const deep = await fetch(inject('gatewayUrl'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${resident}` },
      body,
    });
    expectRefused({ ...((await deep.json()) as GraphQLResponse), status: deep.status }, /nested at most 32/);
    const stored = await gql<{ me: { preferences: { key: string }[] } }>(`{ me { preferences { key } } }`, {}, { token: resident });
    expect(stored.data?.me.preferences.map((p) => p.key)).not.toContain('deep');

    const fine = await gql(set, { value: nested(20) }, { token: resident });
    expect(fine.errors).toBeUndefined();
    await gql(`mutation { deleteMyPreference(key: "deep") }`, {}, { token: resident });
  });

  it('refuses a Decimal that is not a number', async () => {
    const answer = await gql(`{ properties(first: 5, filter: { minPrice: "abc" }) { nodes { id } } }`, {}, { token: admin });
    expectRefused(answer, /decimal/i);
  });
});
