import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectRedis, EVENT_STREAM, type Redis } from '@pathway/kit';
import { facilities, users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor, activate } from './support/client.ts';

// Profiles (Mongo), preferences and the notifications inbox, through the gateway. People are created here.
const TEMP = 'Temporary-Pass-2026!';
const facilityAdmin = () => tokenFor(users.facilityAdmin.username);
const riverside = () => tokenFor(users.riversideAdmin.username);
const teacher = () => tokenFor(users.teacher.username);
const resident = () => tokenFor(users.residentLee.username);
const partner = () => tokenFor(users.partner.username);

const PROFILE = `mutation($input: ProfileInput!) { updateMyProfile(input: $input) { avatarUrl bio socialLinks { linkedin twitter } skills interests goals } }`;
const READ = `query($id: UUID!) { user(id: $id) { profile { bio skills socialLinks { linkedin } } preferences { key value } } }`;
const SET_PREF = `mutation($k: String!, $v: JSON!) { setMyPreference(key: $k, value: $v) { key value } }`;
const SEND = `mutation($u: UUID!, $input: NotificationInput!) { sendNotification(userId: $u, input: $input) { id read } }`;
const INBOX = `query { myNotifications(first: 10) { nodes { id title read } } unreadNotificationCount }`;

let redis: Redis;
beforeAll(() => {
  redis = connectRedis(inject('redisUrl'), 'identity-people-test');
});
afterAll(() => redis.quit());

async function newPerson(adminToken: Promise<string>, facilityId: string) {
  const s = randomBytes(4).toString('hex');
  const input = {
    username: `id.pp.${s}`,
    email: `id.pp.${s}@example.org`,
    firstName: 'Pp',
    lastName: s,
    role: 'resident',
    facilityId,
    temporaryPassword: TEMP,
  };
  const res = await gql<{ createUser: { id: string; username: string } }>(
    `mutation($input: CreateUserInput!) { createUser(input: $input) { id username } }`,
    { input },
    { token: await adminToken },
  );
  const created = res.data!.createUser;
  return { ...created, token: (await activate(created.username, TEMP)).accessToken };
}

describe('profiles and preferences', () => {
  it('a person edits their own profile and preferences; admins in reach read them, others do not', async () => {
    const p = await newPerson(facilityAdmin(), facilities.northRidge.id);
    const saved = await gql<{ updateMyProfile: Record<string, unknown> }>(
      PROFILE,
      { input: { bio: 'Learning welding', skills: ['welding', 'math'], socialLinks: { linkedin: 'https://linkedin.com/in/x' } } },
      { token: p.token },
    );
    expect(saved.data!.updateMyProfile).toEqual({
      avatarUrl: null,
      bio: 'Learning welding',
      socialLinks: { linkedin: 'https://linkedin.com/in/x', twitter: null },
      skills: ['welding', 'math'],
      interests: [],
      goals: [],
    });
    const partial = await gql<{ updateMyProfile: { bio: string; goals: string[]; skills: string[] } }>(
      PROFILE,
      { input: { goals: ['GED'] } },
      { token: p.token },
    );
    expect(partial.data!.updateMyProfile).toMatchObject({ bio: 'Learning welding', goals: ['GED'], skills: ['welding', 'math'] });
    expect((await gql(SET_PREF, { k: 'display.theme', v: { mode: 'dark', size: 2 } }, { token: p.token })).errors).toBeUndefined();

    const asAdmin = await gql<{ user: { profile: { bio: string }; preferences: { key: string; value: unknown }[] } }>(
      READ,
      { id: p.id },
      { token: await facilityAdmin() },
    );
    expect(asAdmin.data!.user.profile.bio).toBe('Learning welding');
    expect(asAdmin.data!.user.preferences).toEqual([{ key: 'display.theme', value: { mode: 'dark', size: 2 } }]);
    const asSelf = await gql<{ user: { profile: { skills: string[] } } }>(READ, { id: p.id }, { token: p.token });
    expect(asSelf.data!.user.profile.skills).toEqual(['welding', 'math']);

    for (const token of [await teacher(), await resident()]) {
      const denied = await gql<{ user: { profile: unknown; preferences: unknown } }>(READ, { id: p.id }, { token });
      expect(denied.data!.user).toEqual({ profile: null, preferences: null });
      expect(codes(denied)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    }
    expect((await gql<{ user: unknown }>(READ, { id: p.id }, { token: await riverside() })).data!.user).toBeNull();

    const history = await gql<{ user: { accountHistory: { nodes: { action: string; after: Record<string, unknown> }[] } } }>(
      `query($id: UUID!) { user(id: $id) { accountHistory { nodes { action after } } } }`,
      { id: p.id },
      { token: await facilityAdmin() },
    );
    expect(history.data!.user.accountHistory.nodes.filter((n) => n.action === 'profile_update').map((n) => n.after)).toEqual([
      { goals: ['GED'] },
      { bio: 'Learning welding', skills: ['welding', 'math'], socialLinks: { linkedin: 'https://linkedin.com/in/x' } },
    ]);
  });

  it('refuses bad profile fields and preference keys, changing nothing; anonymous callers are refused', async () => {
    const p = await newPerson(facilityAdmin(), facilities.northRidge.id);
    const bad = await gql(PROFILE, { input: { avatarUrl: 'javascript:alert(1)', bio: 'x' } }, { token: p.token });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0]!.extensions!.fieldErrors).toMatchObject({ avatarUrl: 'must be an http(s) URL' });
    expect(codes(await gql(PROFILE, { input: { skills: Array.from({ length: 51 }, (_, i) => `s${i}`) } }, { token: p.token }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await gql(SET_PREF, { k: 'bad key!', v: 1 }, { token: p.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(SET_PREF, { k: 'big', v: 'x'.repeat(10_001) }, { token: p.token }))).toEqual(['BAD_USER_INPUT']);
    const after = await gql<{ user: { profile: unknown; preferences: unknown[] } }>(READ, { id: p.id }, { token: p.token });
    expect(after.data!.user).toEqual({ profile: null, preferences: [] });
    expect(codes(await gql(PROFILE, { input: { bio: 'x' } }))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('notifications inbox', () => {
  it('staff send within reach; the person lists, counts, marks read and all read; an event is published', async () => {
    const p = await newPerson(facilityAdmin(), facilities.northRidge.id);
    const sent: string[] = [];
    for (const title of ['Class moved', 'New course', 'Welcome']) {
      const res = await gql<{ sendNotification: { id: string; read: boolean } }>(
        SEND,
        { u: p.id, input: { type: 'info', title, message: `${title}!` } },
        { token: await teacher() },
      );
      expect(res.data!.sendNotification.read).toBe(false);
      sent.push(res.data!.sendNotification.id);
    }
    // Relayed from the outbox shortly after the commit.
    const readEvents = async () =>
      (await redis.xrevrange(EVENT_STREAM, '+', '-', 'COUNT', 2000)).map(
        ([, fields]) => JSON.parse(fields[1]!) as { type: string; entityId: string; userId: string; tenantId: string },
      );
    await expect.poll(async () => (await readEvents()).some((e) => e.entityId === sent[0]), { timeout: 10_000, interval: 100 }).toBe(true);
    const events = await readEvents();
    expect(events.find((e) => e.entityId === sent[0])).toMatchObject({
      type: 'identity.notification.added',
      userId: p.id,
      tenantId: users.teacher.tenantId,
    });

    const inbox = await gql<{
      myNotifications: { nodes: { id: string; title: string; read: boolean }[] };
      unreadNotificationCount: number;
    }>(INBOX, {}, { token: p.token });
    expect(inbox.data!.myNotifications.nodes.map((n) => n.title)).toEqual(['Welcome', 'New course', 'Class moved']);
    expect(inbox.data!.unreadNotificationCount).toBe(3);
    const one = await gql<{ markNotificationRead: { read: boolean } }>(
      `mutation($id: UUID!) { markNotificationRead(id: $id) { read } }`,
      { id: sent[0] },
      { token: p.token },
    );
    expect(one.data!.markNotificationRead.read).toBe(true);
    // Someone else's notification does not exist for you.
    expect(
      codes(await gql(`mutation($id: UUID!) { markNotificationRead(id: $id) { read } }`, { id: sent[1] }, { token: await resident() })),
    ).toEqual(['NOT_FOUND']);
    const all = await gql<{ markAllNotificationsRead: number }>(`mutation { markAllNotificationsRead }`, {}, { token: p.token });
    expect(all.data!.markAllNotificationsRead).toBe(2);
    expect(
      (await gql<{ unreadNotificationCount: number }>(`{ unreadNotificationCount }`, {}, { token: p.token })).data!.unreadNotificationCount,
    ).toBe(0);
  });

  it('is refused to residents and partners, outside reach, and with bad input', async () => {
    const p = await newPerson(facilityAdmin(), facilities.northRidge.id);
    const input = { type: 'info', title: 'Hi', message: 'Hello' };
    for (const token of [await resident(), await partner()])
      expect(codes(await gql(SEND, { u: p.id, input }, { token }))).toEqual(['FORBIDDEN']);
    expect(codes(await gql(SEND, { u: p.id, input }, { token: await riverside() }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(SEND, { u: p.id, input: { ...input, title: ' ' } }, { token: await teacher() }))).toEqual(['BAD_USER_INPUT']);
    expect(
      (await gql<{ unreadNotificationCount: number }>(`{ unreadNotificationCount }`, {}, { token: p.token })).data!.unreadNotificationCount,
    ).toBe(0);
  });
});

describe('extensions and the practicality score', () => {
  const ADD = `mutation($input: ExtensionInput!) { addMyExtension(input: $input) { id usageCount practicalityScore } }`;
  const USE = `mutation($id: UUID!, $f: Float) { recordExtensionUse(id: $id, feedbackScore: $f) { usageCount feedbackScore lastUsedAt } }`;
  const FACTOR = `mutation($id: UUID!, $n: String!, $v: Int!, $w: Float) { setPracticalityFactor(extensionId: $id, name: $n, value: $v, weight: $w) { practicalityScore factors { name value weight } } }`;
  const READ_EXT = `query($id: UUID!) { user(id: $id) { extensions { name usageCount practicalityScore } } }`;

  it('a person adds extensions, uses them (every concurrent use counts) and rates them; the score is the weighted mean', async () => {
    const p = await newPerson(facilityAdmin(), facilities.northRidge.id);
    const added = await gql<{ addMyExtension: { id: string; usageCount: number; practicalityScore: number | null } }>(
      ADD,
      { input: { type: 'tool', name: 'Resume builder', priority: 5 } },
      { token: p.token },
    );
    expect(added.data!.addMyExtension).toMatchObject({ usageCount: 0, practicalityScore: null });
    const id = added.data!.addMyExtension.id;
    await Promise.all(Array.from({ length: 20 }, () => gql(USE, { id }, { token: p.token })));
    const used = await gql<{ recordExtensionUse: { usageCount: number; feedbackScore: number } }>(USE, { id, f: 4.5 }, { token: p.token });
    expect(used.data!.recordExtensionUse).toMatchObject({ usageCount: 21, feedbackScore: 4.5 });
    await gql(FACTOR, { id, n: 'cost', v: 8, w: 2 }, { token: p.token });
    const scored = await gql<{ setPracticalityFactor: { practicalityScore: number } }>(
      FACTOR,
      { id, n: 'ease', v: 5, w: 1 },
      { token: p.token },
    );
    expect(scored.data!.setPracticalityFactor.practicalityScore).toBe(7); // (8·2 + 5·1) / 3
    const replaced = await gql<{ setPracticalityFactor: { practicalityScore: number } }>(
      FACTOR,
      { id, n: 'ease', v: 2, w: 1 },
      { token: p.token },
    );
    expect(replaced.data!.setPracticalityFactor.practicalityScore).toBe(6); // (16 + 2) / 3

    const asAdmin = await gql<{ user: { extensions: unknown[] } }>(READ_EXT, { id: p.id }, { token: await facilityAdmin() });
    expect(asAdmin.data!.user.extensions).toEqual([{ name: 'Resume builder', usageCount: 21, practicalityScore: 6 }]);
    for (const token of [await teacher(), await resident()])
      expect(codes(await gql(READ_EXT, { id: p.id }, { token }))).toEqual(['FORBIDDEN']);
    // Someone else's extension does not exist for you.
    expect(codes(await gql(USE, { id }, { token: await resident() }))).toEqual(['NOT_FOUND']);
    expect(codes(await gql(FACTOR, { id, n: 'x', v: 5 }, { token: await teacher() }))).toEqual(['NOT_FOUND']);
  });

  it('rejects out-of-range factors and feedback and empty names, changing nothing', async () => {
    const p = await newPerson(facilityAdmin(), facilities.northRidge.id);
    const id = (await gql<{ addMyExtension: { id: string } }>(ADD, { input: { type: 'tool', name: 'Budget' } }, { token: p.token })).data!
      .addMyExtension.id;
    expect(codes(await gql(FACTOR, { id, n: 'cost', v: 11 }, { token: p.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(FACTOR, { id, n: 'cost', v: 5, w: 0 }, { token: p.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(USE, { id, f: 9 }, { token: p.token }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(ADD, { input: { type: 'tool', name: ' ' } }, { token: p.token }))).toEqual(['BAD_USER_INPUT']);
    const read = await gql<{ user: { extensions: unknown[] } }>(READ_EXT, { id: p.id }, { token: p.token });
    expect(read.data!.user.extensions).toEqual([{ name: 'Budget', usageCount: 0, practicalityScore: null }]);
  });
});
