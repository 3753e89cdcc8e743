import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedis, EVENT_STREAM, parseStreamEntry, type Redis } from '@pathway/kit';
import { codes, gql } from './support/client.ts';
import { seed, type SeededPerson, type SeededTenant } from './support/seed.ts';
import { collect, wsClient } from './support/subscriptions.ts';

// Facility and program changes as events (issue 14): written with the change (outbox), served as
// the `facilityChanged` / `programChanged` subscriptions with `after` resume, offered to webhooks.
const FACILITY_SUB = `subscription($after: String) { facilityChanged(after: $after) { cursor action facility { id name } } }`;
const PROGRAM_SUB = `subscription($after: String) { programChanged(after: $after) { cursor action program { id name } } }`;
type FacilityEvent = { facilityChanged: { cursor: string; action: string; facility: { id: string; name: string } } };
type ProgramEvent = { programChanged: { cursor: string; action: string; program: { id: string; name: string } } };

let tenant: SeededTenant;
let other: SeededTenant;
let dept: SeededPerson;
let otherDept: SeededPerson;
let redis: Redis;
const suffix = () => randomUUID().slice(0, 8);
const token = async (p: SeededPerson) => (await p.api()).accessToken;
const eventsAbout = async (entityId: string) =>
  (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 5000))
    .map(([id, fields]) => parseStreamEntry(id, fields))
    .filter((e) => e?.entityId === entityId)
    .reverse();

beforeAll(async () => {
  redis = connectRedis(inject('redisUrl'), 'campus-catalog-events-test');
  [tenant, other] = await Promise.all([seed.tenant(), seed.tenant()]);
  [dept, otherDept] = await Promise.all([tenant.departmentAdmin(), other.departmentAdmin()]);
});
afterAll(() => redis.quit());

describe('facility and program events', () => {
  it('subscribers of the tenant hear of facility changes in order, and resume after a cursor; another tenant hears nothing', async () => {
    const client = wsClient(await token(dept));
    const outsiderClient = wsClient(await token(otherDept));
    try {
      const live = collect<FacilityEvent>(client, FACILITY_SUB);
      const outsider = collect<FacilityEvent>(outsiderClient, FACILITY_SUB);
      await new Promise((r) => setTimeout(r, 500)); // both subscriptions are reading the stream
      const created = await gql<{ createFacility: { facilityId: string } }>(
        `mutation($n: String!) { createFacility(input: { name: $n, timezone: "America/Chicago" }) { facilityId } }`,
        { n: `Evented ${suffix()}` },
        { token: await token(dept) },
      );
      const id = created.data!.createFacility.facilityId;
      const renamed = `Renamed ${suffix()}`;
      await gql(
        `mutation($id: UUID!, $n: String!) { updateFacility(id: $id, input: { name: $n }) { facilityId } }`,
        { id, n: renamed },
        { token: await token(dept) },
      );
      // A refused change (bad time zone) publishes nothing.
      const refused = await gql(
        `mutation($id: UUID!) { updateFacility(id: $id, input: { timezone: "Nowhere/Else" }) { facilityId } }`,
        { id },
        { token: await token(dept) },
      );
      expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
      await gql(`mutation($id: UUID!) { archiveFacility(id: $id) { facilityId } }`, { id }, { token: await token(dept) });
      // The outsider's own tenant's change: the first (and only) event it may get.
      await gql(
        `mutation($n: String!) { createFacility(input: { name: $n, timezone: "UTC" }) { facilityId } }`,
        { n: `Other ${suffix()}` },
        { token: await token(otherDept) },
      );

      await live.waitFor(3);
      await outsider.waitFor(1);
      const mine = live.results.map((r) => r.data!.facilityChanged).filter((e) => e.facility.id === id);
      expect(mine.map((e) => e.action)).toEqual(['facility.created', 'facility.updated', 'facility.archived']);
      expect(mine.every((e) => e.facility.name === renamed)).toBe(true);
      expect(outsider.results.map((r) => r.data!.facilityChanged.facility.id)).not.toContain(id);
      expect((await eventsAbout(id)).map((e) => e!.payload)).toEqual([
        { action: 'facility.created' },
        { action: 'facility.updated' },
        { action: 'facility.archived' },
      ]);

      // Resume after the first event: the two after it, in order, each once.
      const resumeClient = wsClient(await token(dept));
      try {
        const resumed = collect<FacilityEvent>(resumeClient, FACILITY_SUB, { after: mine[0]!.cursor });
        await resumed.waitFor(2);
        const again = resumed.results.map((r) => r.data!.facilityChanged).filter((e) => e.facility.id === id);
        expect(again.map((e) => e.cursor)).toEqual(mine.slice(1).map((e) => e.cursor));
        resumed.stop();
      } finally {
        await resumeClient.dispose();
      }
      live.stop();
      outsider.stop();
    } finally {
      await client.dispose();
      await outsiderClient.dispose();
    }
  });

  it('program changes are heard by the tenant; a refused change publishes nothing; webhooks offer both types', async () => {
    const client = wsClient(await token(dept));
    try {
      const live = collect<ProgramEvent>(client, PROGRAM_SUB);
      await new Promise((r) => setTimeout(r, 500));
      const facility = await tenant.facility();
      const created = await gql<{ createProgram: { programId: string } }>(
        `mutation($n: String!, $f: [UUID!]) { createProgram(input: { name: $n, facilityIds: $f }) { programId } }`,
        { n: `Evented program ${suffix()}`, f: [facility.id] },
        { token: await token(dept) },
      );
      const id = created.data!.createProgram.programId;
      await (await facility.program()).class(); // another program's class: unrelated
      const cls = await gql<{ createProgramClass: { id: string } }>(
        `mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id } }`,
        { input: { programId: id, facilityId: facility.id, name: 'Running', startDt: '2027-01-10T12:00:00Z' } },
        { token: await token(dept) },
      );
      expect(cls.errors).toBeUndefined();
      const refused = await gql(`mutation($id: UUID!) { archiveProgram(id: $id) { programId } }`, { id }, { token: await token(dept) });
      expect(refused.errors![0]!.extensions).toMatchObject({ reason: 'IN_USE' });
      await gql(
        `mutation($id: UUID!) { updateProgram(id: $id, input: { description: "now described" }) { programId } }`,
        { id },
        { token: await token(dept) },
      );
      await live.waitFor(2);
      expect(
        live.results
          .map((r) => r.data!.programChanged)
          .filter((e) => e.program.id === id)
          .map((e) => e.action),
      ).toEqual(['program.created', 'program.updated']);
      expect((await eventsAbout(id)).map((e) => e!.type)).toEqual(['campus.program.changed', 'campus.program.changed']);
      live.stop();
    } finally {
      await client.dispose();
    }
    const types = await gql<{ webhookEventTypes: string[] }>('{ webhookEventTypes }', {}, { token: await token(dept) });
    expect(types.data!.webhookEventTypes).toEqual(expect.arrayContaining(['campus.facility.changed', 'campus.program.changed']));
  });
});
