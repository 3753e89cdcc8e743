// The policy for a person's sensitive fields, said once and independently of the shield rules that
// enforce it: which permission opens each field to others, and how far. `test/permission-matrix`
// probes every field as every role against it; `pnpm permission-matrix` prints it into the README.
import { PERMISSION_CATALOG, Roles, type PermissionKey, type Role } from '@pathway/kit';

export interface SensitiveField {
  /** What opens it to others: a role holding this key (by its default grants)… */
  permission: PermissionKey;
  /** …reads it of people within its reach (`reach`: its facility; its tenant for department admins;
   * every tenant for system admins); only with a tenant's reach or more (`tenant_reach`: private
   * holdings); or within reach on a roster (`roster`): every class's with `campus.roster.read_all`,
   * else only of the classes the caller teaches. */
  within: 'reach' | 'tenant_reach' | 'roster';
  /** The selection that reads it (a list reads as allowed only when it brings rows). */
  selection: string;
}

const identityField = (permission: PermissionKey, selection: string): SensitiveField => ({
  permission,
  within: 'reach',
  selection,
});

/** Every guarded field of a person; the person themself may always read their own. */
export const SENSITIVE_FIELDS: Record<string, SensitiveField> = {
  'User.displayName': identityField('identity.user.read_name', 'displayName'),
  'User.username': identityField('identity.user.read', 'username'),
  'User.roles': identityField('identity.user.read', 'roles'),
  'User.email': identityField('identity.user.read_contact', 'email'),
  'User.residentNumber': identityField('identity.user.read_resident_number', 'residentNumber'),
  'User.lastLoginAt': identityField('identity.user.read_security', 'lastLoginAt'),
  'User.loginCount': identityField('identity.user.read_security', 'loginCount'),
  'User.sessions': identityField('identity.user.read_security', 'sessions { id }'),
  'User.accountHistory': identityField('identity.user.read_history', 'accountHistory { nodes { id } }'),
  'User.enrollments': {
    permission: 'campus.enrollment.read',
    within: 'roster',

    selection: 'enrollments { nodes { id } }',
  },
  // Unlisted assets (a resident's GED badge) are private holdings: never browsed from a facility.
  'User.assets': { permission: 'market.asset.read', within: 'tenant_reach', selection: 'assets { nodes { id } }' },
};

/** Whose field is read, as seen from the caller: themself; a resident at their facility in a class
 * the matrix's staff member teaches (`own_student`), or in none of theirs (`same_facility`); a
 * resident at another facility of their tenant; one of another tenant. */
export const RELATIONS = ['self', 'own_student', 'same_facility', 'other_facility', 'other_tenant'] as const;
export type Relation = (typeof RELATIONS)[number];

/** Where the matrix places a caller of each role: at a facility (A), or over their tenant with none. */
export const PLACED_AT_FACILITY: ReadonlySet<Role> = new Set(['facility_admin', 'staff', 'resident', 'guardian']);

/** The role whose matrix caller teaches the `own_student`'s class. */
export const INSTRUCTOR: Role = 'staff';

/** The relations a role reaches (DOMAIN.md → Roles): system admins every tenant, department admins their tenant, the rest their facility. */
function reaches(role: Role, relation: Relation): boolean {
  if (relation === 'self') return true;
  if (role === 'system_admin') return true;
  if (role === 'department_admin') return relation !== 'other_tenant';
  return (relation === 'same_facility' || relation === 'own_student') && PLACED_AT_FACILITY.has(role);
}

/** Rosters: within reach, every class's with `campus.roster.read_all`, else only the classes the caller teaches. */
const onRoster = (role: Role, relation: Relation): boolean =>
  grants(role, 'campus.enrollment.read') &&
  reaches(role, relation) &&
  (grants(role, 'campus.roster.read_all') || (relation === 'own_student' && role === INSTRUCTOR));

export const grants = (role: Role, key: PermissionKey): boolean => (PERMISSION_CATALOG[key].grantedTo as readonly Role[]).includes(role);

/** What the policy says: may a caller of `role` read `field` of a person in `relation` to them? */
export function policyAllows(role: Role, relation: Relation, field: SensitiveField): boolean {
  if (relation === 'self') return true;
  if (field.within === 'tenant_reach' && role !== 'system_admin' && role !== 'department_admin') return false;
  if (field.within === 'roster') return grants(role, field.permission) && onRoster(role, relation);
  return grants(role, field.permission) && reaches(role, relation);
}

/** The reference path's extra condition: the class enrollment it starts from must be the caller's to see. */
export const enrollmentVisible = (role: Role, relation: Relation): boolean => relation === 'self' || onRoster(role, relation);

const LETTER: Record<Relation, string> = { self: 'S', own_student: 'C', same_facility: 'F', other_facility: 'T', other_tenant: 'X' };

/** The policy as a Markdown table: a row per field, a column per role, the relations each may read. */
export function policyTable(): string {
  const header = `| field | permission | ${Roles.join(' | ')} |`;
  const rule = `|${' --- |'.repeat(Roles.length + 2)}`;
  const rows = Object.entries(SENSITIVE_FIELDS).map(([name, field]) => {
    const cells = Roles.map((role) =>
      RELATIONS.filter((relation) => policyAllows(role, relation, field))
        .map((relation) => LETTER[relation])
        .join(' '),
    );
    const key = `\`${field.permission}\`${field.within === 'reach' ? '' : ` (${field.within.replace('_', ' ')})`}`;
    return `| \`${name}\` | ${key} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
