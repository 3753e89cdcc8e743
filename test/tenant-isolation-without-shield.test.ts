import { IDENTITY_HEADER, PERMISSION_KEYS, signIdentity, type Identity } from '@pathway/kit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { facilities, tenants, users } from '../scripts/demo/ids.ts';
import { gql } from './support/client.ts';
import { startSubgraph, type Service } from './support/processes.ts';

// The layer under graphql-shield: the five subgraphs served WITHOUT their rules
// (PATHWAY_TEST_WITHOUT_SHIELD, honoured only under NODE_ENV=test), asked straight for their lists
// by callers holding every permission there is. The two demo tenants' answers must still never
// share a row, because the access filters and Row-Level Security underneath hold on their own;
// and an entity reference to another tenant's person resolves to nothing.

/** Lists the demo data fills for both tenants, by the subgraph that serves them (each read as ids). */
const LISTS: Record<string, string[]> = {
  identity: ['users', 'tenants'],
  campus: ['facilities', 'programs', 'programClasses'],
  learning: ['courses', 'providerPlatforms'],
  behavior: ['students', 'families'],
  market: ['properties', 'digitalAssets'],
};

/** Somebody with every permission and the reach of `roles`, in `tenantId` (the shield is off: nothing checks the keys). */
const everything = (userId: string, tenantId: string, facilityId: string | null, roles: Identity['roles']): Identity => ({
  userId,
  tenantId,
  facilityId,
  roles,
  permissions: [...PERMISSION_KEYS],
  featureFlags: ['open_content', 'provider_platforms', 'program_management'],
});

const CALLERS = {
  lakeshore: everything(users.deptAdmin.id, tenants.lakeshore, null, ['department_admin']),
  riverside: everything(users.riversideAdmin.id, tenants.riverside, null, ['department_admin']),
  riversideFacility: everything(users.riversideAdmin.id, tenants.riverside, facilities.riverside.id, ['facility_admin']),
};

const unshielded: Record<string, Service> = {};

beforeAll(async () => {
  const started = await Promise.all(Object.keys(LISTS).map((name) => startSubgraph(name, { PATHWAY_TEST_WITHOUT_SHIELD: '1' })));
  Object.keys(LISTS).forEach((name, i) => (unshielded[name] = started[i]!));
}, 300_000);
afterAll(() => Promise.all(Object.values(unshielded).map((s) => s.stop())));

async function ask(subgraph: string, caller: Identity, query: string, variables: Record<string, unknown> = {}) {
  const header = await signIdentity(caller, inject('secrets').INTERNAL_JWT_SECRET);
  return gql(query, variables, { url: unshielded[subgraph]!.url, headers: { [IDENTITY_HEADER]: header } });
}

async function ids(subgraph: string, list: string, caller: Identity): Promise<string[]> {
  const answer = await ask(subgraph, caller, `{ ${list}(first: 100) { nodes { id } } }`);
  expect({ list, errors: answer.errors }).toEqual({ list, errors: undefined });
  return ((answer.data?.[list] as { nodes: { id: string }[] }).nodes ?? []).map((n) => n.id);
}

describe('tenant isolation with graphql-shield switched off', () => {
  it('a subgraph refuses to start without its rules outside NODE_ENV=test', async () => {
    await expect(startSubgraph('identity', { PATHWAY_TEST_WITHOUT_SHIELD: '1', NODE_ENV: 'development' })).rejects.toThrow(
      /PATHWAY_TEST_WITHOUT_SHIELD is allowed only with NODE_ENV=test/,
    );
  });

  it('without the shield, rules really are off (control: a field the rules deny is answered)', async () => {
    // A resident's own caller identity with no permissions at all reads an administrator-only field.
    const resident = { ...everything(users.residentLee.id, tenants.lakeshore, facilities.northRidge.id, ['resident']), permissions: [] };
    const answer = await ask('identity', resident, `query($id: UUID!) { user(id: $id) { id loginCount } }`, { id: users.residentLee.id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.user).toMatchObject({ id: users.residentLee.id });
  });

  for (const [subgraph, lists] of Object.entries(LISTS))
    it(`${subgraph}: the two tenants' lists share no row`, async () => {
      for (const list of lists) {
        const [lakeshore, riverside] = await Promise.all([ids(subgraph, list, CALLERS.lakeshore), ids(subgraph, list, CALLERS.riverside)]);
        expect({ list, shared: lakeshore.filter((id) => riverside.includes(id)) }).toEqual({ list, shared: [] });
        expect({ list, seen: lakeshore.length + riverside.length > 0 }).toEqual({ list, seen: true });
      }
    });

  it("an entity reference to another tenant's person, or a facility's, resolves to nothing", async () => {
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email residentNumber } } }`;
    const answer = await ask('identity', CALLERS.lakeshore, query, {
      r: [{ __typename: 'User', id: users.riversideStudent.id }],
    });
    expect(answer.data?._entities).toEqual([null]);
    const own = await ask('identity', CALLERS.riverside, query, { r: [{ __typename: 'User', id: users.riversideStudent.id }] });
    expect(own.data?._entities).toEqual([expect.objectContaining({ id: users.riversideStudent.id })]);
  });

  it("a facility-reach caller of one tenant sees none of another tenant's classes or students", async () => {
    const [classes, students] = await Promise.all([
      ids('campus', 'programClasses', CALLERS.riversideFacility),
      ids('behavior', 'students', CALLERS.riversideFacility),
    ]);
    const [lakeshoreClasses, lakeshoreStudents] = await Promise.all([
      ids('campus', 'programClasses', CALLERS.lakeshore),
      ids('behavior', 'students', CALLERS.lakeshore),
    ]);
    expect(classes.filter((id) => lakeshoreClasses.includes(id))).toEqual([]);
    expect(students.filter((id) => lakeshoreStudents.includes(id))).toEqual([]);
  });
});
