import { describe, expect, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';

// One query that needs all five subgraphs: identity (User), campus (Facility, enrollments),
// learning (course enrollments), behavior (student record), market (digital assets, listings).
const PERSON = `query Person($id: UUID!) {
  user(id: $id) {
    id displayName email residentNumber
    facility { name timezone }
    enrollments { nodes { status class { name program { name } } } }
    courseEnrollments { nodes { course { name } } }
    studentRecord { firstName gradeLevel }
    digitalAssets { nodes { name } }
    listings { nodes { id } }
  }
}`;

interface Person {
  user: {
    id: string;
    email: string | null;
    residentNumber: string | null;
    facility: { name: string; timezone: string } | null;
    enrollments: { nodes: { status: string; class: { name: string } }[] } | null;
    courseEnrollments: { nodes: { course: { name: string } }[] } | null;
    studentRecord: { firstName: string } | null;
    digitalAssets: { nodes: { name: string }[] } | null;
    listings: { nodes: { id: string }[] } | null;
  } | null;
}

const lee = users.residentLee;

describe('a query across all five subgraphs', () => {
  it('returns every part of a resident for a system admin', async () => {
    const res = await gql<Person>(PERSON, { id: lee.id }, { token: await tokenFor(users.sysadmin.username) });
    expect(res.errors).toBeUndefined();
    const user = res.data!.user!;
    expect(user.email).toBe('resident.lee@example.org');
    expect(user.residentNumber).toBe(lee.docId);
    expect(user.facility).toEqual({ name: 'North Ridge Correctional Facility', timezone: 'America/New_York' });
    expect(user.enrollments!.nodes.length).toBeGreaterThan(0);
    expect(user.courseEnrollments!.nodes.length).toBeGreaterThan(0);
    expect(user.studentRecord?.firstName).toBe('Marcus');
    expect(user.digitalAssets!.nodes.length).toBeGreaterThan(0);
    expect(user.listings!.nodes).toEqual([]);
  });

  it('returns a resident their own record from every subgraph', async () => {
    const res = await gql<Person>(PERSON, { id: lee.id }, { token: await tokenFor(lee.username) });
    expect(res.errors).toBeUndefined();
    const user = res.data!.user!;
    expect(user.email).toBe('resident.lee@example.org');
    expect(user.enrollments!.nodes.length).toBeGreaterThan(0);
    expect(user.courseEnrollments!.nodes.length).toBeGreaterThan(0);
    expect(user.studentRecord?.firstName).toBe('Marcus');
  });

  it("gives a resident FORBIDDEN on another user's email and other private parts, and still the public ones", async () => {
    const garcia = users.residentGarcia;
    const res = await gql<Person>(PERSON, { id: garcia.id }, { token: await tokenFor(lee.username) });
    const forbiddenPaths = (res.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => e.path?.join('.'));
    expect(forbiddenPaths).toContain('user.email');
    expect(forbiddenPaths).toContain('user.residentNumber');
    expect(forbiddenPaths).toContain('user.enrollments');
    expect(res.data!.user!.email).toBeNull();
    expect(res.data!.user!.residentNumber).toBeNull();
    expect(res.data!.user!.enrollments).toBeNull();
    expect(res.data!.user!.courseEnrollments ?? null).toBeNull();
    expect(res.data!.user!.studentRecord).toBeNull();
    // Same facility: the name is a directory field residents may see.
    expect(res.data!.user!.id).toBe(garcia.id);
  });

  it('shows a resident nobody outside their facility or tenant', async () => {
    const token = await tokenFor(lee.username);
    for (const other of [users.residentKim, users.riversideStudent]) {
      const res = await gql<Person>(PERSON, { id: other.id }, { token });
      expect(res.data?.user ?? null).toBeNull();
    }
  });

  it('keeps tenants apart: a facility admin of one tenant cannot reach the other tenant', async () => {
    const res = await gql<Person>(PERSON, { id: lee.id }, { token: await tokenFor(users.riversideAdmin.username) });
    expect(res.data?.user ?? null).toBeNull();
    const own = await gql<Person>(PERSON, { id: users.riversideStudent.id }, { token: await tokenFor(users.riversideAdmin.username) });
    expect(own.data?.user?.email).toBe('riverside.student@example.org');
    expect(own.data?.user?.enrollments?.nodes.length).toBeGreaterThan(0);
  });

  it('refuses the whole query to an anonymous caller', async () => {
    const res = await gql<Person>(PERSON, { id: lee.id });
    expect(res.data?.user ?? null).toBeNull();
    expect(codes(res)).toContain('UNAUTHENTICATED');
  });
});

describe('lists', () => {
  const USERS = `query($first: Int, $after: String, $filter: UserFilter) {
    users(first: $first, after: $after, filter: $filter) { nodes { username } pageInfo { hasNextPage endCursor } }
  }`;
  type Page = { users: { nodes: { username: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

  it('page through users within reach without repeats, and only within reach', async () => {
    const token = await tokenFor(users.deptAdmin.username);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: Awaited<ReturnType<typeof gql<Page>>> = await gql<Page>(USERS, { first: 3, after }, { token });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.users.nodes.map((n) => n.username));
      after = res.data!.users.pageInfo.hasNextPage ? res.data!.users.pageInfo.endCursor : null;
    } while (after);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain('resident.kim');
    expect(seen).not.toContain('riverside.student');
  });

  it('filters by facility for a facility admin and never leaves the facility', async () => {
    // Searched by name, since other files add people to the demo facilities.
    const token = await tokenFor(users.facilityAdmin.username);
    const named = async (search: string) =>
      (await gql<Page>(USERS, { first: 50, filter: { search } }, { token })).data!.users.nodes.map((n) => n.username);
    expect(await named('resident.lee')).toEqual(['resident.lee']);
    expect(await named('resident.kim')).toEqual([]);
  });

  it('rejects a page size over the limit and a forged cursor with BAD_USER_INPUT', async () => {
    const token = await tokenFor(users.deptAdmin.username);
    expect(codes(await gql(USERS, { first: 1000 }, { token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(USERS, { first: 5, after: 'not-a-cursor' }, { token }))).toEqual(['BAD_USER_INPUT']);
  });
});
