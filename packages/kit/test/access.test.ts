import { describe, expect, it } from 'vitest';
import { matchesFilter, matchesWhere, rowVisible, defineAccess } from '../src/access.ts';
import { reachFilter, catalogReachFilter, type Identity } from '../src/index.ts';
import DataLoader from 'dataloader';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const F1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const F2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const who = (roles: Identity['roles'], facilityId: string | null = F1): Identity => ({
  userId: 'u1',
  tenantId: T1,
  facilityId,
  roles,
  permissions: [],
});

describe('matchesWhere (a Prisma where decided on a loaded row)', () => {
  const row = { id: 'r1', tenantId: T1, facilityId: F1, status: 'active', deletedAt: null };

  it('decides equality, in, notIn, not and null on the row', () => {
    expect(matchesWhere({}, row)).toBe(true);
    expect(matchesWhere({ tenantId: T1, facilityId: F1 }, row)).toBe(true);
    expect(matchesWhere({ tenantId: T2 }, row)).toBe(false);
    expect(matchesWhere({ status: { in: ['active', 'inactive'] } }, row)).toBe(true);
    expect(matchesWhere({ status: { notIn: ['active'] } }, row)).toBe(false);
    expect(matchesWhere({ status: { not: 'active' } }, row)).toBe(false);
    expect(matchesWhere({ deletedAt: null }, row)).toBe(true);
    expect(matchesWhere({ deletedAt: { not: null } }, row)).toBe(false);
  });

  it('combines AND, OR and NOT, and drops empty OR branches as Prisma does', () => {
    expect(matchesWhere({ AND: [{ tenantId: T1 }, { OR: [{ facilityId: F2 }, { status: 'active' }] }] }, row)).toBe(true);
    expect(matchesWhere({ OR: [{ facilityId: F2 }, { status: 'inactive' }] }, row)).toBe(false);
    expect(matchesWhere({ OR: [{}] }, row)).toBe(false);
    expect(matchesWhere({ NOT: { tenantId: T1 } }, row)).toBe(false);
  });

  it('leaves relation filters and columns the row lacks to the database', () => {
    expect(matchesWhere({ assignments: { some: { teacherId: 'u1' } } }, row)).toBeUndefined();
    expect(matchesWhere({ ownerId: 'u1' }, row)).toBeUndefined();
    // …unless the row decides the whole filter anyway.
    expect(matchesWhere({ tenantId: T2, assignments: { some: { teacherId: 'u1' } } }, row)).toBe(false);
    expect(matchesWhere({ OR: [{ tenantId: T1 }, { assignments: { some: {} } }] }, row)).toBe(true);
  });
});

describe('reach, decided from the one filter', () => {
  const rows = [
    { tenantId: T1, facilityId: F1 },
    { tenantId: T1, facilityId: F2 },
    { tenantId: T1, facilityId: null },
    { tenantId: T2, facilityId: F1 },
  ];
  it.each([
    ['system_admin', [true, true, true, true]],
    ['department_admin', [true, true, true, false]],
    ['staff', [true, false, false, false]],
  ] as const)('%s', (role, expected) => {
    expect(rows.map((r) => matchesWhere(reachFilter(who([role])), r))).toEqual(expected);
  });
  it('a facility-bound caller without a facility reaches nothing', () => {
    expect(rows.map((r) => matchesWhere(reachFilter(who(['staff'], null)), r))).toEqual([false, false, false, false]);
    expect(reachFilter(who(['staff'], null), 'homeFacilityId')).toEqual({
      tenantId: T1,
      homeFacilityId: '00000000-0000-0000-0000-000000000000',
    });
  });
  it('catalog rows without a facility serve the whole tenant', () => {
    expect(rows.map((r) => matchesWhere(catalogReachFilter(who(['resident'])), r))).toEqual([true, false, true, false]);
    expect(catalogReachFilter(who(['resident'], null))).toEqual({ tenantId: T1, OR: [{ facilityId: null }] });
  });
});

describe('rowVisible', () => {
  it('asks the database only when the row cannot decide', async () => {
    const asked: string[][] = [];
    const confirm = new DataLoader<string, boolean>(async (ids) => {
      asked.push([...ids]);
      return ids.map((id) => id === 'linked');
    });
    const access = defineAccess('student', (identity: Identity) => ({
      AND: [
        { tenantId: identity.tenantId },
        { OR: [{ userId: identity.userId }, { family: { guardians: { some: { userId: identity.userId } } } }] },
      ],
    }));
    const me = who(['guardian']);
    expect(await rowVisible(access, me, { id: 'own', tenantId: T1, userId: 'u1' } as { id: string }, confirm)).toBe(true);
    expect(await rowVisible(access, me, { id: 'foreign', tenantId: T2, userId: 'x' } as { id: string }, confirm)).toBe(false);
    expect(await rowVisible(access, me, { id: 'linked', tenantId: T1, userId: 'x' } as { id: string }, confirm)).toBe(true);
    expect(await rowVisible(access, me, { id: 'other', tenantId: T1, userId: 'y' } as { id: string }, confirm)).toBe(false);
    expect(asked.flat()).toEqual(['linked', 'other']);
  });
});

describe('matchesFilter (a Mongo filter on a loaded document)', () => {
  it('evaluates the query language, operators included', () => {
    const doc = { tenantId: T1, listed: true, holders: ['u1'] };
    expect(matchesFilter({ tenantId: T1, $or: [{ listed: true }, { holders: 'u2' }] }, doc)).toBe(true);
    expect(matchesFilter({ tenantId: T1, listed: false, holders: { $in: ['u2'] } }, doc)).toBe(false);
  });
});
