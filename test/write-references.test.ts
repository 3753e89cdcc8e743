import { beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { seed, type SeededClass, type SeededFacility, type SeededPerson, type SeededTenant } from './support/seed.ts';
import type { GraphQLResponse } from './support/client.ts';

// Campus cannot read identity's people, and once enrolled anyone the caller named: a UUID that is
// nobody, a staff member, a resident of another facility. Identity now vouches for every person a
// write names (kit references.ts): unknown → NOT_FOUND, outside the caller's reach → FORBIDDEN,
// the wrong kind or facility → BAD_USER_INPUT, and nothing is written.

const ENROLL = `mutation($c: UUID!, $u: [UUID!]!) { enrollResidents(classId: $c, userIds: $u) { id } }`;
const ASSIGN = `mutation($c: UUID!, $u: UUID!) { assignInstructor(classId: $c, userId: $u) { id } }`;
const ROSTER = `query($c: UUID!) { programClass(id: $c) { enrollments(first: 50) { nodes { user { id } } } } }`;

const code = (answer: GraphQLResponse) => answer.errors?.[0]?.extensions?.code;

describe('ids a campus write names are checked with identity', () => {
  let tenant: SeededTenant;
  let north: SeededFacility;
  let south: SeededFacility;
  let klass: SeededClass;
  let northAdmin: SeededPerson;
  let deptAdmin: SeededPerson;
  let northResident: SeededPerson;
  let southResident: SeededPerson;
  let northStaff: SeededPerson;
  let foreignResident: SeededPerson;

  beforeAll(async () => {
    tenant = await seed.tenant();
    [north, south] = await Promise.all([tenant.facility(), tenant.facility()]);
    const other = await seed.tenant().then((t) => t.facility());
    [northAdmin, deptAdmin, northResident, southResident, northStaff, foreignResident] = await Promise.all([
      north.facilityAdmin(),
      tenant.departmentAdmin(),
      north.resident(),
      south.resident(),
      north.staff(),
      other.resident(),
    ]);
    klass = await north.program().then((p) => p.class({ capacity: 20 }));
  });

  const enrolledIds = async () => {
    const api = await northAdmin.api();
    const roster = await api.gql<{ programClass: { enrollments: { nodes: { user: { id: string } }[] } } }>(ROSTER, { c: klass.id });
    return roster.data!.programClass.enrollments.nodes.map((n) => n.user.id);
  };

  it('enrolls a resident of the class facility', async () => {
    const api = await northAdmin.api();
    const answer = await api.gql(ENROLL, { c: klass.id, u: [northResident.id] });
    expect(answer.errors).toBeUndefined();
    expect(await enrolledIds()).toEqual([northResident.id]);
  });

  it('refuses nobody, another tenant, another facility, staff — and enrolls none of a mixed batch', async () => {
    const admin = await northAdmin.api();
    const dept = await deptAdmin.api();
    const fresh = await north.resident();

    const nobody = await admin.gql(ENROLL, { c: klass.id, u: [fresh.id, randomUUID()] });
    expect(code(nobody)).toBe('NOT_FOUND');
    expect(code(await admin.gql(ENROLL, { c: klass.id, u: [foreignResident.id] }))).toBe('NOT_FOUND');

    // The facility admin may not reach a resident of the tenant's other facility…
    expect(code(await admin.gql(ENROLL, { c: klass.id, u: [fresh.id, southResident.id] }))).toBe('FORBIDDEN');
    // …the department admin may, but that resident does not belong in this facility's class.
    const wrongFacility = await dept.gql(ENROLL, { c: klass.id, u: [southResident.id] });
    expect(code(wrongFacility)).toBe('BAD_USER_INPUT');
    expect(wrongFacility.errors?.[0]?.extensions?.fieldErrors).toEqual({ userIds: 'belongs to another facility' });

    const staff = await admin.gql(ENROLL, { c: klass.id, u: [fresh.id, northStaff.id] });
    expect(code(staff)).toBe('BAD_USER_INPUT');
    expect(staff.errors?.[0]?.extensions?.fieldErrors).toEqual({ 'userIds.1': 'is not a resident' });

    expect(await enrolledIds()).toEqual([northResident.id]);
  });

  it('assigns staff of the facility as instructors, and refuses residents, nobody and other facilities', async () => {
    const admin = await northAdmin.api();
    const dept = await deptAdmin.api();
    const southStaff = await south.staff();
    expect((await admin.gql(ASSIGN, { c: klass.id, u: northStaff.id })).errors).toBeUndefined();
    expect(code(await admin.gql(ASSIGN, { c: klass.id, u: northResident.id }))).toBe('BAD_USER_INPUT');
    expect(code(await admin.gql(ASSIGN, { c: klass.id, u: randomUUID() }))).toBe('NOT_FOUND');
    expect(code(await admin.gql(ASSIGN, { c: klass.id, u: southStaff.id }))).toBe('FORBIDDEN');
    expect(code(await dept.gql(ASSIGN, { c: klass.id, u: southStaff.id }))).toBe('BAD_USER_INPUT');

    const api = await northAdmin.api();
    const instructors = await api.gql<{ programClass: { instructors: { id: string }[] } }>(
      `query($c: UUID!) { programClass(id: $c) { instructors { id } } }`,
      { c: klass.id },
    );
    expect(instructors.data?.programClass.instructors.map((i) => i.id)).toEqual([northStaff.id]);
  });
});

describe('ids identity and market writes name are checked', () => {
  let tenant: SeededTenant;
  let facility: SeededFacility;
  beforeAll(async () => {
    tenant = await seed.tenant();
    facility = await tenant.facility();
  });

  it('creates no one in a facility or tenant that does not exist, or in another tenant’s facility', async () => {
    const dept = await (await tenant.departmentAdmin()).api();
    const other = await seed.tenant().then((t) => t.facility());
    const person = (facilityId: string) => ({
      username: `ref.check.${randomUUID().slice(0, 8)}`,
      email: `ref.${randomUUID().slice(0, 8)}@example.org`,
      firstName: 'Ref',
      lastName: 'Check',
      role: 'resident',
      facilityId,
      temporaryPassword: 'Temporary-Pass-2026!',
    });
    const create = `mutation($input: CreateUserInput!) { createUser(input: $input) { id } }`;
    const nowhere = await dept.gql(create, { input: person(randomUUID()) });
    expect(code(nowhere)).toBe('NOT_FOUND');
    expect(nowhere.errors?.[0]?.extensions?.fieldErrors).toEqual({ facilityId: 'no such facility in this tenant' });
    expect(code(await dept.gql(create, { input: person(other.id) }))).toBe('NOT_FOUND');
    const bulk = await dept.gql<{ bulkCreateUsers: { created: unknown[]; rejected: unknown[] } }>(
      `mutation($input: [CreateUserInput!]!) { bulkCreateUsers(input: $input) { created { id } rejected { row problems { field message code } } } }`,
      { input: [person(facility.id), person(randomUUID())] },
    );
    expect(bulk.data?.bulkCreateUsers).toEqual({
      created: [],
      rejected: [{ row: 2, problems: [{ field: 'facilityId', message: 'no such facility in this tenant', code: 'NOT_FOUND' }] }],
    });
    const people = await dept.gql<{ users: { nodes: { lastName: string }[] } }>(`{ users(first: 50) { nodes { lastName } } }`);
    expect(people.data?.users.nodes.map((u) => u.lastName)).not.toContain('Check');
  });

  it('transfers no resident to a facility that does not exist, and sets no flag on one', async () => {
    const dept = await (await tenant.departmentAdmin()).api();
    const resident = await facility.resident();
    const transfer = await dept.gql(`mutation($id: UUID!, $f: UUID!) { transferResident(id: $id, facilityId: $f) { userId } }`, {
      id: resident.id,
      f: randomUUID(),
    });
    expect(code(transfer)).toBe('NOT_FOUND');
    const flag = await dept.gql(
      `mutation($f: UUID!) { setFacilityFeatureFlag(facilityId: $f, flag: open_content, enabled: true) { enabled } }`,
      {
        f: randomUUID(),
      },
    );
    expect(code(flag)).toBe('NOT_FOUND');
  });

  it('gives no digital asset to nobody or to another tenant’s person; to a person of the tenant it does', async () => {
    const [holder, friend] = await Promise.all([facility.resident(), facility.resident()]);
    const stranger = await seed
      .tenant()
      .then((t) => t.facility())
      .then((f) => f.resident());
    const assetId = await tenant.asset(holder);
    const api = await holder.api();
    const transfer = `mutation($a: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $a, toUserId: $to) { id } }`;
    expect(code(await api.gql(transfer, { a: assetId, to: randomUUID() }))).toBe('NOT_FOUND');
    expect(code(await api.gql(transfer, { a: assetId, to: stranger.id }))).toBe('NOT_FOUND');
    const owner = `query($a: UUID!) { digitalAsset(id: $a) { owner { id } } }`;
    expect((await api.gql<{ digitalAsset: { owner: { id: string } } }>(owner, { a: assetId })).data?.digitalAsset.owner.id).toBe(holder.id);
    expect((await api.gql(transfer, { a: assetId, to: friend.id })).errors).toBeUndefined();
  });
});
