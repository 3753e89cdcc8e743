import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedis, EVENT_STREAM, type Redis } from '@pathway/kit';
import { demoId, facilities, tenants, users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';
import { seed } from './support/seed.ts';

// Campus domain events on the shared Redis stream: relayed from the outbox after the change commits,
// one per change, none for a refused change.
let redis: Redis;
beforeAll(() => {
  redis = connectRedis(inject('redisUrl'), 'campus-events-test');
});
afterAll(() => redis.quit());

interface Published {
  type: string;
  tenantId: string;
  facilityId: string | null;
  userId?: string | null;
  entityId: string;
  payload: Record<string, unknown>;
}
const published = async () =>
  (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 5000)).map(([, fields]) => JSON.parse(fields[1]!) as Published);

describe('campus events', () => {
  it('enrollment, class status and attendance changes publish their events; refused changes publish none', async () => {
    const admin = await tokenFor(users.facilityAdmin.username);
    const input = {
      programId: demoId('c1', 1),
      facilityId: facilities.northRidge.id,
      name: `Events class ${randomUUID().slice(0, 8)}`,
      capacity: 1,
      startDt: '2026-09-01T12:00:00Z',
    };
    const classId = (
      await gql<{ createProgramClass: { id: string } }>(
        `mutation($input: CreateProgramClassInput!) { createProgramClass(input: $input) { id } }`,
        { input },
        { token: admin },
      )
    ).data!.createProgramClass.id;
    const [person, extra] = (await seed.residentsAt(facilities.northRidge, 2)) as [string, string];
    const enrolled = await gql<{ enrollResidents: { id: string }[] }>(
      `mutation($c: UUID!, $u: [UUID!]!) { enrollResidents(classId: $c, userIds: $u) { id } }`,
      { c: classId, u: [person] },
      { token: admin },
    );
    const enrollmentId = enrolled.data!.enrollResidents[0]!.id;
    const full = await gql(
      `mutation($c: UUID!, $u: [UUID!]!) { enrollResidents(classId: $c, userIds: $u) { id } }`,
      { c: classId, u: [extra] },
      { token: admin },
    );
    expect(codes(full)).toEqual(['CONFLICT']);
    await gql(`mutation($id: UUID!) { changeProgramClassStatus(id: $id, status: Active) { id } }`, { id: classId }, { token: admin });
    const eventId = (
      await gql<{ createClassEvent: { id: string } }>(
        `mutation($c: UUID!) { createClassEvent(classId: $c, input: { startsAt: "2026-10-05T12:30:00Z", durationMinutes: 60 }) { id } }`,
        { c: classId },
        { token: admin },
      )
    ).data!.createClassEvent.id;
    const attended = await gql(
      `mutation($e: UUID!, $u: UUID!) { takeAttendance(eventId: $e, date: "2026-10-05", records: [{ userId: $u, status: present }]) { id } }`,
      { e: eventId, u: person },
      { token: admin },
    );
    expect(attended.errors).toBeUndefined();

    // Events leave through the outbox relay shortly after each commit: wait for the last one to arrive.
    await expect
      .poll(async () => (await published()).some((e) => e.type === 'campus.attendance.recorded' && e.entityId === eventId), {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(true);
    const events = await published();
    const enrollmentEvents = events.filter((e) => e.type === 'campus.enrollment.changed' && e.payload.classId === classId);
    expect(enrollmentEvents).toEqual([
      expect.objectContaining({
        tenantId: tenants.lakeshore,
        facilityId: facilities.northRidge.id,
        userId: person,
        entityId: enrollmentId,
        payload: { classId, status: 'Enrolled', previousStatus: null },
      }),
    ]);
    expect(events.filter((e) => e.type === 'campus.class.status_changed' && e.entityId === classId)).toEqual([
      expect.objectContaining({ payload: { status: 'Active', previousStatus: 'Scheduled' } }),
    ]);
    expect(events.filter((e) => e.type === 'campus.attendance.recorded' && e.entityId === eventId)).toEqual([
      expect.objectContaining({ payload: { classId, eventId, date: '2026-10-05', records: 1, corrected: 0 } }),
    ]);
  });
});
