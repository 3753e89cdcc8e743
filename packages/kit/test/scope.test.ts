import { describe, expect, it } from 'vitest';
import {
  NO_FACILITY,
  aggregateFilter,
  matchesWhere,
  anyOf,
  hasPermission,
  isPlaced,
  reachFilter,
  reachOf,
  tenantFilter,
  tenantOf,
  type Identity,
} from '../src/index.ts';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
const F1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const who = (roles: Identity['roles'], facilityId: string | null = F1, permissions: string[] = []): Identity => ({
  userId: 'u1',
  tenantId: T1,
  facilityId,
  roles,
  permissions,
});

describe('tenantOf', () => {
  it("names the caller's tenant for a raw query, except for system reach (every tenant)", () => {
    expect(tenantOf(who(['system_admin']))).toBeNull();
    expect(tenantOf(who(['department_admin']))).toBe(T1);
    expect(tenantOf(who(['resident']))).toBe(T1);
    expect(tenantOf({ ...who(['system_admin']), serviceAccount: true })).toBe(T1);
  });
});

describe('reachOf', () => {
  it('gives the widest reach among the roles', () => {
    expect(reachOf(who(['system_admin']))).toBe('system');
    expect(reachOf(who(['staff', 'system_admin']))).toBe('system');
    expect(reachOf(who(['department_admin']))).toBe('tenant');
    expect(reachOf(who(['facility_admin', 'department_admin']))).toBe('tenant');
  });

  it('is the facility for every other role, and for no role at all', () => {
    for (const role of ['facility_admin', 'staff', 'resident', 'guardian', 'partner', 'analyst', 'integrator'] as const)
      expect(reachOf(who([role]))).toBe('facility');
    expect(reachOf(who([]))).toBe('facility');
  });
});

describe('reachFilter', () => {
  it('is empty for system reach, the tenant for tenant reach, tenant and facility otherwise', () => {
    expect(reachFilter(who(['system_admin']))).toEqual({});
    expect(reachFilter(who(['department_admin']))).toEqual({ tenantId: T1 });
    expect(reachFilter(who(['staff']))).toEqual({ tenantId: T1, facilityId: F1 });
  });

  it('puts the facility on the column it is given', () => {
    expect(reachFilter(who(['staff']), 'homeFacilityId')).toEqual({ tenantId: T1, homeFacilityId: F1 });
  });

  it('matches nothing for a facility-reach caller without a facility', () => {
    expect(reachFilter(who(['staff'], null))).toEqual({ tenantId: T1, facilityId: NO_FACILITY });
  });
});

describe('aggregateFilter (counts)', () => {
  it('counts the facility of a caller placed at one', () => {
    expect(aggregateFilter(who(['staff']))).toEqual({ tenantId: T1, facilityId: F1 });
    expect(aggregateFilter(who(['facility_admin']), 'siteId')).toEqual({ tenantId: T1, siteId: F1 });
  });

  it('counts the tenant of a caller placed nowhere (an analyst) and of a department admin', () => {
    expect(aggregateFilter(who(['analyst'], null))).toEqual({ tenantId: T1 });
    expect(aggregateFilter(who(['department_admin']))).toEqual({ tenantId: T1 });
  });

  it('counts every tenant for system reach', () => {
    expect(aggregateFilter(who(['system_admin']))).toEqual({});
  });

  it('tells placed callers from unplaced ones', () => {
    expect(isPlaced(who(['staff']))).toBe(true);
    expect(isPlaced(who(['staff'], null))).toBe(false);
    expect(isPlaced(who(['department_admin']))).toBe(false);
  });
});

describe('tenantFilter', () => {
  it('restrict to the caller’s tenant except for system reach', () => {
    expect(tenantFilter(who(['staff']))).toEqual({ tenantId: T1 });
    expect(tenantFilter(who(['system_admin']))).toEqual({});
    expect(matchesWhere(tenantFilter(who(['resident'])), { tenantId: T1 })).toBe(true);
    expect(matchesWhere(tenantFilter(who(['department_admin'])), { tenantId: T2 })).toBe(false);
    expect(matchesWhere(tenantFilter(who(['system_admin'])), { tenantId: T2 })).toBe(true);
  });
});

describe('anyOf', () => {
  it('ORs the branches', () => {
    expect(anyOf([{ tenantId: T1 }, { ownerId: 'u1' }])).toEqual({ OR: [{ tenantId: T1 }, { ownerId: 'u1' }] });
  });

  it('is every row when any branch is empty (Prisma would drop an empty branch and match nothing)', () => {
    expect(anyOf([{ tenantId: T1 }, {}])).toEqual({});
  });

  it('keeps an empty list an empty OR (no branch, no row)', () => {
    expect(anyOf([])).toEqual({ OR: [] });
  });
});

describe('hasPermission', () => {
  it('is true only for a key the identity holds', () => {
    expect(hasPermission(who(['staff'], F1, ['campus.class.read']), 'campus.class.read')).toBe(true);
    expect(hasPermission(who(['staff'], F1, ['campus.class.read']), 'campus.class.manage')).toBe(false);
    expect(hasPermission(null, 'campus.class.read')).toBe(false);
  });
});
