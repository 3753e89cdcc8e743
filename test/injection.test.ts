import { describe, expect, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { codes, gql, tokenFor } from './support/client.ts';

// Injection through the API: SQL metacharacters stay text (every query is parameterised), operator
// objects never reach a MongoDB filter (digital assets live in this project's Mongo stand-in,
// mongo-wire), forged cursors are refused, and `__proto__` keys in JSON are plain data.
const admin = () => tokenFor(users.sysadmin.username);
const ASSETS = `query($filter: DigitalAssetFilter, $after: String) { digitalAssets(first: 100, filter: $filter, after: $after) { nodes { id assetType } } }`;
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('injection', () => {
  it('SQL metacharacters in searches are searched for, not run', async () => {
    const token = await admin();
    const attacks = ["' OR '1'='1", "'; DROP TABLE users; --", '\\x27 UNION SELECT password_hash FROM users --'];
    for (const search of attacks) {
      const people = await gql<{ users: { nodes: unknown[] } }>(
        `query($s: String) { users(filter: { search: $s }) { nodes { id } } }`,
        { s: search },
        { token },
      );
      expect(people.errors).toBeUndefined();
      expect(people.data!.users.nodes).toEqual([]);
      const courses = await gql(`query($s: String) { courses(filter: { search: $s }) { nodes { id } } }`, { s: search }, { token });
      expect(courses.errors).toBeUndefined();
      const places = await gql(`query($s: String) { properties(filter: { city: $s }) { nodes { id } } }`, { s: search }, { token });
      expect(places.errors).toBeUndefined();
    }
    // The table is still there.
    expect((await gql('{ me { id } }', {}, { token })).errors).toBeUndefined();
  });

  it('operator objects where a Mongo filter takes a value are refused, not used to widen the query', async () => {
    const token = await tokenFor(users.residentLee.username);
    const own = await gql<{ digitalAssets: { nodes: { id: string }[] } }>(ASSETS, {}, { token });
    expect(own.errors).toBeUndefined();
    for (const filter of [{ assetType: { $ne: null } }, { assetType: { $gt: '' } }, { isListed: { $exists: true } }]) {
      const res = await gql(ASSETS, { filter }, { token });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.data ?? null).toBeNull();
    }
  });

  it('forged cursors carrying operators or odd values are refused', async () => {
    const token = await tokenFor(users.residentLee.username);
    for (const forged of [
      cursor([null, { $gt: '' }, false]),
      cursor([{ $ne: null }, 'x', false]),
      cursor({ id: { $gt: '' } }),
      'not-base64!',
    ]) {
      const res = await gql(ASSETS, { after: forged }, { token });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(res.errors)).not.toMatch(/prisma|mongo|\$gt|stack/i);
    }
  });

  it('__proto__ keys in JSON are refused (variable and literal); constructor and $-keys are stored as plain data', async () => {
    const token = await tokenFor(users.residentKim.username);
    const SET = `mutation($v: JSON!) { setMyPreference(key: "injection-probe", value: $v) { key value } }`;
    for (const v of [JSON.parse('{"__proto__": {"isAdmin": true}}'), JSON.parse('{"a": [{"b": {"__proto__": {"x": 1}}}]}')]) {
      const res = await gql(SET, { v }, { token });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.message).toMatch(/__proto__/);
    }
    const literal = await gql(
      `mutation { setMyPreference(key: "injection-probe", value: { __proto__: { isAdmin: true } }) { key } }`,
      {},
      { token },
    );
    expect(codes(literal)).toEqual(['BAD_USER_INPUT']);
    const before = await gql<{ me: { preferences: { key: string }[] } }>(`{ me { preferences { key value } } }`, {}, { token });
    expect(before.data!.me.preferences.map((p) => p.key)).not.toContain('injection-probe');

    const value = { constructor: { prototype: { polluted: 1 } }, $where: 'sleep(1000)', $ne: null, ok: 1 };
    const set = await gql<{ setMyPreference: { key: string; value: Record<string, unknown> } }>(SET, { v: value }, { token });
    expect(set.errors).toBeUndefined();
    expect(set.data!.setMyPreference.value).toEqual(value);
    const read = await gql<{ me: { preferences: { key: string; value: Record<string, unknown> }[] } }>(
      `{ me { preferences { key value } } }`,
      {},
      { token },
    );
    expect(read.data!.me.preferences.find((p) => p.key === 'injection-probe')!.value).toEqual(value);
    // Nothing took a key as a prototype: this resident is still no administrator.
    expect(codes(await gql('{ roles { name } }', {}, { token }))).toEqual(['FORBIDDEN']);
    await gql(`mutation { deleteMyPreference(key: "injection-probe") }`, {}, { token });
  });
});
