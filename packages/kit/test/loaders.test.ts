import { describe, expect, it, vi } from 'vitest';
import { byIdLoader, callerReads, groupLoader, membershipLoader, pagedGroupLoader, perPage, type PagedKey } from '../src/loaders.ts';
import type { Identity } from '../src/identity.ts';
import { decodeCursor, type PageQuery } from '../src/pagination.ts';
import DataLoader from 'dataloader';

describe('byIdLoader', () => {
  it('asks once for every id of a tick and answers in key order, null where a row is missing', async () => {
    const fetch = vi.fn(async (ids: readonly string[]) =>
      ids
        .filter((id) => id !== 'gone')
        .map((id) => ({ id, name: id.toUpperCase() }))
        .reverse(),
    );
    const loader = byIdLoader(fetch);
    const [a, gone, b] = await Promise.all([loader.load('a'), loader.load('gone'), loader.load('b')]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(['a', 'gone', 'b']);
    expect(a).toEqual({ id: 'a', name: 'A' });
    expect(gone).toBeNull();
    expect(b).toEqual({ id: 'b', name: 'B' });
  });

  it('caches per loader: the same id is not fetched twice', async () => {
    const fetch = vi.fn(async (ids: readonly string[]) => ids.map((id) => ({ id })));
    const loader = byIdLoader(fetch);
    await loader.load('a');
    await Promise.all([loader.load('a'), loader.load('b')]);
    expect(fetch.mock.calls).toEqual([[['a']], [['b']]]);
  });
});

describe('groupLoader', () => {
  it('groups the rows of one query by key, an empty list for a key with none', async () => {
    const rows = [
      { id: 'e1', userId: 'u1' },
      { id: 'e2', userId: 'u2' },
      { id: 'e3', userId: 'u1' },
      { id: 'stray', userId: 'not-asked' },
    ];
    const fetch = vi.fn(async () => rows);
    const loader = groupLoader(fetch, (row) => row.userId);
    const [u1, u2, u3] = await Promise.all([loader.load('u1'), loader.load('u2'), loader.load('u3')]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(u1.map((r) => r.id)).toEqual(['e1', 'e3']);
    expect(u2.map((r) => r.id)).toEqual(['e2']);
    expect(u3).toEqual([]);
  });
});

describe('membershipLoader', () => {
  it('answers yes only for the keys the one query returned', async () => {
    const fetch = vi.fn(async (keys: readonly string[]) => new Set(keys.filter((k) => k.startsWith('mine'))));
    const loader = membershipLoader(fetch);
    expect(await Promise.all([loader.load('mine-1'), loader.load('other'), loader.load('mine-2')])).toEqual([true, false, true]);
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('pagedGroupLoader', () => {
  type Row = { id: string; userId: string; status: string };
  const all: Row[] = [
    { id: 'a1', userId: 'u1', status: 'active' },
    { id: 'a2', userId: 'u1', status: 'active' },
    { id: 'a3', userId: 'u1', status: 'dropped' },
    { id: 'b1', userId: 'u2', status: 'active' },
    { id: 'c1', userId: 'u3', status: 'active' },
  ];
  /** A fake database: rows of the keys with the filter and the keyset `where` applied, in id order. */
  function setup() {
    const fetch = vi.fn(async (keys: string[], filter: { status?: string }, page: Pick<PageQuery, 'where' | 'orderBy'>) => {
      const after = (page.where as { id?: { gt: string } }).id?.gt;
      return all.filter((r) => keys.includes(r.userId) && (!filter.status || r.status === filter.status) && (!after || r.id > after));
    });
    const loader = pagedGroupLoader<Row, { status?: string }>({ sortField: 'id', direction: 'asc', fetch, keyOf: (r) => r.userId });
    return { fetch, loader };
  }
  const key = (
    k: string,
    first: number | null,
    filter: { status?: string } = {},
    after: string | null = null,
  ): PagedKey<{ status?: string }> => ({
    key: k,
    page: { first, after },
    filter,
  });

  it('answers many keys with the same page and filter with one query, each cut to its own page', async () => {
    const { fetch, loader } = setup();
    const [u1, u2, u9] = await Promise.all([loader.load(key('u1', 2)), loader.load(key('u2', 2)), loader.load(key('u9', 2))]);
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]![0]).toEqual(['u1', 'u2', 'u9']);
    expect(u1.nodes.map((r) => r.id)).toEqual(['a1', 'a2']);
    expect(u1.pageInfo.hasNextPage).toBe(true);
    expect(u2.nodes.map((r) => r.id)).toEqual(['b1']);
    expect(u2.pageInfo.hasNextPage).toBe(false);
    expect(u9).toEqual({ edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('shares a query across page sizes, but not across filters', async () => {
    const { fetch, loader } = setup();
    const [one, all3, active] = await Promise.all([
      loader.load(key('u1', 1)),
      loader.load(key('u2', 3)),
      loader.load(key('u1', 5, { status: 'active' })),
    ]);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(one.nodes.map((r) => r.id)).toEqual(['a1']);
    expect(all3.nodes.map((r) => r.id)).toEqual(['b1']);
    expect(active.nodes.map((r) => r.id)).toEqual(['a1', 'a2']);
  });

  it('resumes after a cursor with the next page of the key', async () => {
    const { loader } = setup();
    const first = await loader.load(key('u1', 2));
    expect(decodeCursor(first.pageInfo.endCursor!).id).toBe('a2');
    const second = await loader.load(key('u1', 2, {}, first.pageInfo.endCursor));
    expect(second.nodes.map((r) => r.id)).toEqual(['a3']);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('fails only the field with a bad page, not the others of the batch', async () => {
    const { fetch, loader } = setup();
    const [bad, badCursor, good] = await Promise.allSettled([
      loader.load(key('u1', 500)),
      loader.load(key('u2', 2, {}, 'not-a-cursor')),
      loader.load(key('u3', 2)),
    ]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { extensions: { code: 'BAD_USER_INPUT' } } });
    expect(badCursor).toMatchObject({ status: 'rejected', reason: { extensions: { code: 'BAD_USER_INPUT' } } });
    expect(good).toMatchObject({ status: 'fulfilled', value: { nodes: [{ id: 'c1' }] } });
    expect(fetch).toHaveBeenCalledTimes(1);
  });
});

describe('perPage', () => {
  it('makes one loader per distinct page and reuses it', () => {
    const make = vi.fn(() => new DataLoader<string, number>(async (keys) => keys.map(() => 1)));
    const loaderFor = perPage(make);
    const a = loaderFor({ first: 10 });
    expect(loaderFor({ first: 10, after: null })).toBe(a);
    expect(loaderFor({ first: 20 })).not.toBe(a);
    expect(make).toHaveBeenCalledTimes(2);
  });
});

describe('callerReads', () => {
  const who = { userId: 'u1', tenantId: 't1', facilityId: null, roles: [], permissions: [] } satisfies Identity;
  const db = { run: <R>(fn: (tx: string) => Promise<R>) => fn('tx'), read: <R>(fn: (tx: string) => Promise<R>) => fn('tx') };

  it('reads as the caller inside the scoped transaction, and answers `none` to nobody', async () => {
    expect(await callerReads(db, who).as([], async (tx, caller) => [tx, caller.userId])).toEqual(['tx', 'u1']);
    expect(await callerReads(db, null).as(['none'], async () => ['read'])).toEqual(['none']);
  });

  it('builds a confirm loader from the ids the caller may see, one call per batch', async () => {
    const calls: string[][] = [];
    const visible = callerReads(db, who).confirm(async (_tx, _who, ids) => {
      calls.push(ids);
      return ids.filter((id) => id !== 'hidden').map((id) => ({ id }));
    });
    expect(await Promise.all([visible.load('a'), visible.load('hidden')])).toEqual([true, false]);
    expect(calls).toEqual([['a', 'hidden']]);
    expect(
      await callerReads(db, null)
        .confirm(async (_tx, _who, ids) => ids.map((id) => ({ id })))
        .load('a'),
    ).toBe(false);
  });
});
