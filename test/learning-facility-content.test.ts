import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from './support/client.ts';
import { startFakeKiwix, type FakeKiwix } from './support/content-servers.ts';
import { seed, type SeededFacility, type SignedIn } from './support/seed.ts';

// Facility (owned by campus) gains what learning offers there, through the gateway: its visible
// helpful content (libraries) and the provider platforms available at it, each within the
// caller's own reach. campus hands learning the facility's tenant (`@requires(fields: "tenantId")`).
const FACILITY = `query($id: UUID!) { facility(id: $id) { id name libraries(first: 10) { nodes { title } }
  providerPlatforms(first: 10) { nodes { name } pageInfo { hasNextPage } } } }`;
const REGISTER = `mutation($input: RegisterProviderPlatformInput!) { registerProviderPlatform(input: $input) { providerPlatformId } }`;

let facilityA: SeededFacility;
let facilityB: SeededFacility;
let admin: SignedIn;
let adminA: SignedIn;
let residentA: SignedIn;
let residentB: SignedIn;
let guardian: SignedIn;
let kiwix: FakeKiwix;
let otherAdmin: SignedIn;
let residentOff: SignedIn;
let facilityOff: SeededFacility;
let everywhere: string;
let onlyA: string;

beforeAll(async () => {
  const tenant = await seed.tenant();
  [facilityA, facilityB] = await Promise.all([tenant.facility(), tenant.facility()]);
  const [dept, fa, ra, rb, an] = await Promise.all([
    tenant.departmentAdmin(),
    facilityA.facilityAdmin(),
    facilityA.resident(),
    facilityB.resident(),
    facilityA.person('guardian'),
  ]);
  [admin, adminA, residentA, residentB, guardian] = await Promise.all([dept.api(), fa.api(), ra.api(), rb.api(), an.api()]);
  const register = async (name: string, facilityIds: string[]) => {
    const res = await admin.gql<{ registerProviderPlatform: { providerPlatformId: string } }>(REGISTER, {
      input: {
        name,
        type: 'canvas_cloud',
        baseUrl: 'http://127.0.0.1:9',
        accountId: '1',
        credentials: { accessKey: 'canvas-test-key' },
        facilityIds,
      },
    });
    expect(res.errors).toBeUndefined();
    return name;
  };
  const suffix = randomBytes(3).toString('hex');
  [everywhere, onlyA] = await Promise.all([register(`Everywhere ${suffix}`, []), register(`Only A ${suffix}`, [facilityA.id])]);

  // Libraries come from a Kiwix catalog (a local OPDS server); one is shown at A, one at B and at the facility without open content.
  facilityOff = await tenant.facility({ features: ['provider_platforms', 'program_management'] });
  const other = await seed.tenant();
  [otherAdmin, residentOff] = await Promise.all([(await other.departmentAdmin()).api(), (await facilityOff.resident()).api()]);
  kiwix = await startFakeKiwix([
    { id: crypto.randomUUID(), title: 'Library for A', name: 'a' },
    { id: crypto.randomUUID(), title: 'Library for B', name: 'b' },
  ]);
  const provider = await admin.gql<{ createOpenContentProvider: { openContentProviderId: string } }>(
    `mutation($input: CreateOpenContentProviderInput!) { createOpenContentProvider(input: $input) { openContentProviderId } }`,
    { input: { kind: 'kiwix', title: `Kiwix ${suffix}`, url: kiwix.url } },
  );
  const providerId = provider.data!.createOpenContentProvider.openContentProviderId;
  await admin.gql(`mutation($id: UUID!) { syncOpenContentProvider(id: $id) { ok } }`, { id: providerId });
  const libs = await admin.gql<{ libraries: { nodes: { id: string; title: string }[] } }>(
    `query($p: UUID) { libraries(first: 5, filter: { openContentProviderId: $p }) { nodes { id title } } }`,
    { p: providerId },
  );
  const idOf = (title: string) => libs.data!.libraries.nodes.find((n) => n.title === title)!.id;
  const show = (id: string, f: string) =>
    admin.gql(
      `mutation($id: UUID!, $f: UUID!) { setOpenContentVisibility(kind: library, id: $id, facilityId: $f, visible: true) { changed } }`,
      {
        id,
        f,
      },
    );
  await Promise.all([
    show(idOf('Library for A'), facilityA.id),
    show(idOf('Library for B'), facilityB.id),
    show(idOf('Library for B'), facilityOff.id),
  ]);
});
afterAll(() => kiwix?.close());

describe('Facility.libraries', () => {
  it('lists the libraries shown at the facility, within the caller\u2019s own reach', async () => {
    type Answer = { facility: { libraries: { nodes: { title: string }[] } | null } | null };
    const titles = (res: { data?: Answer | null }) => res.data?.facility?.libraries?.nodes.map((n) => n.title) ?? [];
    expect(titles(await admin.gql<Answer>(FACILITY, { id: facilityA.id }))).toEqual(['Library for A']);
    expect(titles(await admin.gql<Answer>(FACILITY, { id: facilityB.id }))).toEqual(['Library for B']);
    expect(titles(await adminA.gql<Answer>(FACILITY, { id: facilityA.id }))).toEqual(['Library for A']);
    const a = await residentA.gql<Answer>(FACILITY, { id: facilityA.id });
    expect(a.errors).toBeUndefined();
    expect(titles(a)).toEqual(['Library for A']);
    // Another facility's shelf is not a resident's (campus does not even show them the facility), nor another tenant's.
    expect(titles(await residentA.gql<Answer>(FACILITY, { id: facilityB.id }))).toEqual([]);
    expect(titles(await otherAdmin.gql<Answer>(FACILITY, { id: facilityA.id }))).toEqual([]);
    // The facility's open_content feature is off: its residents see none of it.
    expect(titles(await residentOff.gql<Answer>(FACILITY, { id: facilityOff.id }))).toEqual([]);
    // A guardian at the facility reads no catalog (campus answers the facility; learning refuses both fields).
    const g = await guardian.gql<Answer>(FACILITY, { id: facilityA.id });
    expect(g.data!.facility!.libraries).toBeNull();
    expect(codes(g)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(JSON.stringify(g)).not.toContain('Library for A');
  });
});

describe('Facility.providerPlatforms', () => {
  it('lists the platforms available at the facility that the caller may see', async () => {
    const a = await residentA.gql<{ facility: { providerPlatforms: { nodes: { name: string }[] } } }>(FACILITY, { id: facilityA.id });
    expect(a.errors).toBeUndefined();
    expect(a.data!.facility.providerPlatforms.nodes.map((n) => n.name).sort()).toEqual([everywhere, onlyA].sort());
    const b = await admin.gql<{ facility: { providerPlatforms: { nodes: { name: string }[] } } }>(FACILITY, { id: facilityB.id });
    expect(b.data!.facility.providerPlatforms.nodes.map((n) => n.name)).toEqual([everywhere]);
    const asB = await residentB.gql<{ facility: { providerPlatforms: { nodes: { name: string }[] } } }>(FACILITY, { id: facilityB.id });
    expect(asB.data!.facility.providerPlatforms.nodes.map((n) => n.name)).toEqual([everywhere]);
  });
});
