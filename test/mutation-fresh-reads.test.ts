import { beforeAll, describe, expect, it } from 'vitest';
import { seed, type SeededFacility, type SeededTenant } from './support/seed.ts';

// Within one document, the fields read after a mutation see what it wrote: the kit's
// freshReadsAfterWrites renews the request's loaders after every root mutation (consecutive
// mutations of one subgraph reach it in one request, read one after another).
let tenant: SeededTenant;
let facility: SeededFacility;
beforeAll(async () => {
  tenant = await seed.tenant();
  facility = await tenant.facility();
});

describe('reads after writes in one operation', () => {
  it('identity: assignRole then revokeRole then assignRole, each answer with the roles of that step', async () => {
    const admin = await (await tenant.departmentAdmin()).api();
    const person = await facility.staff();
    const res = await admin.gql<Record<'before' | 'a' | 'b' | 'c', { roles: string[] }>>(
      `mutation($id: UUID!) {
        a: assignRole(userId: $id, role: "facility_admin") { roles }
        b: revokeRole(userId: $id, role: "facility_admin") { roles }
        c: assignRole(userId: $id, role: "analyst") { roles }
      }`,
      { id: person.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      a: { roles: ['facility_admin', 'staff'] },
      b: { roles: ['staff'] },
      c: { roles: ['analyst', 'staff'] },
    });
  });

  it('campus: two enrollments in one document count the seats taken after each', async () => {
    const admin = await (await tenant.departmentAdmin()).api();
    const cls = await (await facility.program()).class({ capacity: 5 });
    const [r1, r2] = await Promise.all([facility.resident(), facility.resident()]);
    const res = await admin.gql<Record<'a' | 'b', { class: { activeEnrollmentCount: number } }[]>>(
      `mutation($c: UUID!, $r1: UUID!, $r2: UUID!) {
        a: enrollResidents(classId: $c, userIds: [$r1]) { class { activeEnrollmentCount } }
        b: enrollResidents(classId: $c, userIds: [$r2]) { class { activeEnrollmentCount } }
      }`,
      { c: cls.id, r1: r1.id, r2: r2.id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.a[0]?.class.activeEnrollmentCount).toBe(1);
    expect(res.data?.b[0]?.class.activeEnrollmentCount).toBe(2);
  });
});
