/**
 * The demo world's fixed ids, shared by every subgraph's demo seed so references line up across
 * subgraphs (a campus enrollment names an identity user by the same UUID). Demo only.
 */

/** A deterministic UUID for demo rows of one kind (`kind` is two hex digits), e.g. demoId('c1', 3). */
export const demoId = (kind: string, n: number) => `${kind}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEMO_PASSWORD = 'Pathway-demo-2026!';

export const tenants = {
  lakeshore: demoId('0a', 1),
  riverside: demoId('0a', 2),
} as const;

export const facilities = {
  northRidge: { id: demoId('0f', 1), tenantId: tenants.lakeshore, name: 'North Ridge Correctional Facility', timezone: 'America/New_York' },
  cedarValley: { id: demoId('0f', 2), tenantId: tenants.lakeshore, name: 'Cedar Valley Reentry Center', timezone: 'America/Chicago' },
  riverside: { id: demoId('0f', 3), tenantId: tenants.riverside, name: 'Riverside Learning Center', timezone: 'America/Los_Angeles' },
} as const;

interface DemoUser {
  id: string;
  username: string;
  firstName: string;
  lastName: string;
  role: string;
  tenantId: string;
  facilityId: string | null;
  docId?: string;
}

const user = (n: number, u: Omit<DemoUser, 'id'>): DemoUser => ({ id: demoId('0b', n), ...u });

export const users = {
  sysadmin: user(1, {
    username: 'sysadmin',
    firstName: 'Sam',
    lastName: 'Okafor',
    role: 'system_admin',
    tenantId: tenants.lakeshore,
    facilityId: null,
  }),
  deptAdmin: user(2, {
    username: 'dept.admin',
    firstName: 'Dana',
    lastName: 'Whitfield',
    role: 'department_admin',
    tenantId: tenants.lakeshore,
    facilityId: null,
  }),
  facilityAdmin: user(3, {
    username: 'facility.admin',
    firstName: 'Frank',
    lastName: 'Moreno',
    role: 'facility_admin',
    tenantId: tenants.lakeshore,
    facilityId: facilities.northRidge.id,
  }),
  teacher: user(4, {
    username: 'teacher.jones',
    firstName: 'Tara',
    lastName: 'Jones',
    role: 'staff',
    tenantId: tenants.lakeshore,
    facilityId: facilities.northRidge.id,
  }),
  residentLee: user(5, {
    username: 'resident.lee',
    firstName: 'Marcus',
    lastName: 'Lee',
    role: 'resident',
    tenantId: tenants.lakeshore,
    facilityId: facilities.northRidge.id,
    docId: 'A-10231',
  }),
  residentGarcia: user(6, {
    username: 'resident.garcia',
    firstName: 'Elena',
    lastName: 'Garcia',
    role: 'resident',
    tenantId: tenants.lakeshore,
    facilityId: facilities.northRidge.id,
    docId: 'A-10232',
  }),
  residentKim: user(7, {
    username: 'resident.kim',
    firstName: 'Daniel',
    lastName: 'Kim',
    role: 'resident',
    tenantId: tenants.lakeshore,
    facilityId: facilities.cedarValley.id,
    docId: 'B-20417',
  }),
  guardian: user(8, {
    username: 'guardian.lee',
    firstName: 'Angela',
    lastName: 'Lee',
    role: 'guardian',
    tenantId: tenants.lakeshore,
    facilityId: facilities.northRidge.id,
  }),
  partner: user(9, {
    username: 'partner.hope',
    firstName: 'Hope',
    lastName: 'Housing',
    role: 'partner',
    tenantId: tenants.lakeshore,
    facilityId: null,
  }),
  analyst: user(10, {
    username: 'analyst.ray',
    firstName: 'Ray',
    lastName: 'Chen',
    role: 'analyst',
    tenantId: tenants.lakeshore,
    facilityId: null,
  }),
  integrator: user(11, {
    username: 'integrator.bot',
    firstName: 'Sync',
    lastName: 'Bot',
    role: 'integrator',
    tenantId: tenants.lakeshore,
    facilityId: null,
  }),
  riversideAdmin: user(12, {
    username: 'riverside.admin',
    firstName: 'Rita',
    lastName: 'Vance',
    role: 'facility_admin',
    tenantId: tenants.riverside,
    facilityId: facilities.riverside.id,
  }),
  riversideStudent: user(13, {
    username: 'riverside.student',
    firstName: 'Omar',
    lastName: 'Haddad',
    role: 'resident',
    tenantId: tenants.riverside,
    facilityId: facilities.riverside.id,
    docId: 'R-00077',
  }),
} satisfies Record<string, DemoUser>;

/**
 * The demo integrator: a service account of Lakeshore (tenant-wide) that can follow what the README's
 * example subscription and queries show. Its API key is this fixed string only where NODE_ENV is not
 * `production` (`pnpm start` prints it); in production the demo seed gives it no key (rotate one).
 */
export const demoIntegrator = {
  id: demoId('5a', 1),
  keyId: demoId('5b', 1),
  name: 'Demo SIS integration',
  tenantId: tenants.lakeshore,
  facilityId: null,
  permissions: [
    'campus.class.read',
    'campus.enrollment.read',
    'campus.facility.read',
    'campus.program.read',
    'identity.user.read_name',
    'market.asset.read',
  ],
  developmentKey: 'pwk_demo-integrator-development-only-not-a-secret',
} as const;
