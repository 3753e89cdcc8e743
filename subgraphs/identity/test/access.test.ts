import { describe, expect, it } from 'vitest';
import { matchesWhere, type Identity, type Role } from '@pathway/kit';
import { facilityFeaturesAccess, tenantAccess, userAccess, webhookEndpointAccess } from '../src/access.ts';

// A loaded row decides every identity rule on its own columns, so row rules never ask the database.
const TENANT = '11111111-1111-4111-8111-111111111111';
const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';
const FACILITY = '33333333-3333-4333-8333-333333333333';
const OTHER_FACILITY = '44444444-4444-4444-8444-444444444444';

const caller = (role: Role, facilityId: string | null = FACILITY): Identity => ({
  userId: 'me',
  tenantId: TENANT,
  facilityId,
  roles: [role],
  permissions: [],
});
const person = (over: Partial<{ id: string; tenantId: string; homeFacilityId: string | null; deletedAt: Date | null }>) => ({
  id: 'someone',
  tenantId: TENANT,
  homeFacilityId: FACILITY,
  deletedAt: null,
  ...over,
});

describe('userAccess decided on a loaded row', () => {
  it('facility reach: yourself and your facility, not another facility, tenant or a deleted person', () => {
    const who = caller('resident');
    const where = userAccess.where(who);
    expect(matchesWhere(where, person({ id: 'me', homeFacilityId: OTHER_FACILITY }))).toBe(true);
    expect(matchesWhere(where, person({}))).toBe(true);
    expect(matchesWhere(where, person({ homeFacilityId: OTHER_FACILITY }))).toBe(false);
    expect(matchesWhere(where, person({ homeFacilityId: null }))).toBe(false);
    expect(matchesWhere(where, person({ tenantId: OTHER_TENANT }))).toBe(false);
    expect(matchesWhere(where, person({ deletedAt: new Date() }))).toBe(false);
  });

  it('a facility-reach caller placed nowhere sees only themself', () => {
    const where = userAccess.where(caller('analyst', null));
    expect(matchesWhere(where, person({ id: 'me', homeFacilityId: null }))).toBe(true);
    expect(matchesWhere(where, person({ homeFacilityId: null }))).toBe(false);
  });

  it('tenant reach: the whole tenant; system reach: every tenant (the empty reach branch is not dropped from the OR)', () => {
    expect(matchesWhere(userAccess.where(caller('department_admin')), person({ homeFacilityId: OTHER_FACILITY }))).toBe(true);
    expect(matchesWhere(userAccess.where(caller('department_admin')), person({ tenantId: OTHER_TENANT }))).toBe(false);
    expect(userAccess.where(caller('system_admin'))).toEqual({ AND: [{ deletedAt: null }, {}] });
    expect(matchesWhere(userAccess.where(caller('system_admin')), person({ tenantId: OTHER_TENANT, homeFacilityId: null }))).toBe(true);
  });
});

describe('tenant, facility features and webhook endpoints', () => {
  it('tenants: your own unless system reach', () => {
    expect(matchesWhere(tenantAccess.where(caller('facility_admin')), { id: TENANT })).toBe(true);
    expect(matchesWhere(tenantAccess.where(caller('department_admin')), { id: OTHER_TENANT })).toBe(false);
    expect(matchesWhere(tenantAccess.where(caller('system_admin')), { id: OTHER_TENANT })).toBe(true);
  });

  it('facility features and endpoints: facility reach is held to its facility', () => {
    for (const access of [facilityFeaturesAccess, webhookEndpointAccess]) {
      expect(matchesWhere(access.where(caller('staff')), { tenantId: TENANT, facilityId: FACILITY })).toBe(true);
      expect(matchesWhere(access.where(caller('staff')), { tenantId: TENANT, facilityId: OTHER_FACILITY })).toBe(false);
      expect(matchesWhere(access.where(caller('department_admin')), { tenantId: TENANT, facilityId: OTHER_FACILITY })).toBe(true);
    }
  });
});
