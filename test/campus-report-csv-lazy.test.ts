import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from './support/client.ts';
import { deadPort, startGateway, startSubgraph, subgraphEnv, type Service } from './support/processes.ts';
import { seed, type SignedIn } from './support/seed.ts';

// The class roster report (and the attendance report, likewise) writes its CSV, whose name columns
// campus looks up at identity (kit references `names`), only when the client asks for `csv`: the
// rows alone need no such request (issue 16: it was one more identity request per report, every
// time). Shown with a campus whose identity is a dead port: without `csv` the report answers whole;
// with it, `csv` (non-null, so the report with it) is SERVICE_UNAVAILABLE naming identity.
const ROSTER = (csv: string) => `query($id: UUID!) { classRosterReport(classId: $id) { class { id } rows { userId status } ${csv} } }`;

let admin: SignedIn;
let classId: string;
let residentIds: string[];
let gatewayUrl: string;
const started: Service[] = [];

beforeAll(async () => {
  const tenant = await seed.tenant();
  const facility = await tenant.facility();
  const residents = await Promise.all([facility.resident(), facility.resident()]);
  residentIds = residents.map((r) => r.id);
  const programClass = await (await facility.program()).class();
  await programClass.enroll(...residents);
  classId = programClass.id;
  admin = await (await facility.facilityAdmin()).api();
  const campus = await startSubgraph('campus', { IDENTITY_URL: `http://127.0.0.1:${await deadPort()}/graphql` });
  started.push(campus);
  const gateway = await startGateway(subgraphEnv({ campus: campus.url }));
  started.push(gateway);
  gatewayUrl = gateway.url;
}, 180_000);
afterAll(() => Promise.all(started.map((s) => s.stop())));

type Roster = { classRosterReport: { class: { id: string }; rows: { userId: string }[]; csv?: string | null } | null };

describe('the class roster report without csv', () => {
  it('answers without asking identity; asking for csv is SERVICE_UNAVAILABLE naming identity', async () => {
    const ask = <T>(query: string, variables: Record<string, unknown>) =>
      gql<T>(query, variables, { token: admin.accessToken, url: gatewayUrl });
    const roster = await ask<Roster>(ROSTER(''), { id: classId });
    expect(roster.errors).toBeUndefined();
    expect(roster.data?.classRosterReport?.class.id).toBe(classId);
    expect(roster.data?.classRosterReport?.rows.map((r) => r.userId).sort()).toEqual([...residentIds].sort());

    const withCsv = await ask<Roster>(ROSTER('csv'), { id: classId });
    expect(withCsv.data?.classRosterReport).toBeNull();
    expect(withCsv.errors).toMatchObject([
      { path: ['classRosterReport', 'csv'], extensions: { code: 'SERVICE_UNAVAILABLE', unavailableService: 'identity' } },
    ]);
  });
});
