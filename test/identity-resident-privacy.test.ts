import { beforeAll, describe, expect, it } from 'vitest';
import { seed, type SeededPerson } from './support/seed.ts';

// Residents once read a fellow resident's username, status, roles and last sign-in, directly and
// through a class enrollment. DOMAIN.md: a resident sees their own record; of others, a name.

const PERSON = `query($id: UUID!) { user(id: $id) { id firstName lastName displayName username status roles lastLoginAt facility { id } } }`;

describe('what a resident sees of other people', () => {
  let lee: SeededPerson;
  let kim: SeededPerson;
  let teacher: SeededPerson;
  let classId: string;

  beforeAll(async () => {
    const facility = await seed.tenant().then((t) => t.facility());
    [lee, kim, teacher] = await Promise.all([facility.resident(), facility.resident(), facility.staff()]);
    const klass = await facility.program().then((p) => p.class());
    await klass.enroll(lee, kim);
    classId = klass.id;
  });

  it("a classmate's name, and nothing of their account; each denial stays on its own field", async () => {
    const api = await lee.api();
    const answer = await api.gql<{ user: Record<string, unknown> }>(PERSON, { id: kim.id });
    expect(answer.data?.user).toMatchObject({ id: kim.id, firstName: kim.firstName, lastName: kim.lastName });
    for (const field of ['username', 'status', 'roles', 'lastLoginAt', 'facility']) expect(answer.data?.user[field]).toBeNull();
    const denied = new Set(answer.errors?.map((e) => `${e.path?.at(-1)}:${e.extensions?.code}`));
    expect(denied).toEqual(
      new Set(['username:FORBIDDEN', 'status:FORBIDDEN', 'roles:FORBIDDEN', 'lastLoginAt:FORBIDDEN', 'facility:FORBIDDEN']),
    );

    // The same through campus: the roster of Lee's own class names Kim, nothing more.
    const roster = await api.gql<{ programClass: { enrollments: { nodes: { user: Record<string, unknown> }[] } } }>(
      `query($c: UUID!) { programClass(id: $c) { enrollments(first: 10) { nodes { user { id firstName username lastLoginAt } } } } }`,
      { c: classId },
    );
    const users = roster.data?.programClass?.enrollments.nodes.map((n) => n.user) ?? [];
    for (const user of users.filter((u) => u.id !== lee.id)) expect(user).toMatchObject({ username: null, lastLoginAt: null });
  });

  it('their own account in full, and staff see a resident’s account', async () => {
    const own = await (await lee.api()).gql<{ user: Record<string, unknown> }>(PERSON, { id: lee.id });
    expect(own.errors).toBeUndefined();
    expect(own.data?.user).toMatchObject({ username: lee.username, status: 'active', roles: ['resident'] });
    const byStaff = await (await teacher.api()).gql<{ user: Record<string, unknown> }>(PERSON, { id: kim.id });
    expect(byStaff.data?.user).toMatchObject({ username: kim.username, status: 'active' });
    expect(byStaff.errors?.map((e) => e.path?.at(-1))).toEqual(['lastLoginAt']); // sign-in details are for administrators
  });
});
