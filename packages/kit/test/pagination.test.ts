import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  decodeCursor,
  mongoPageQuery,
  pageInMemory,
  pageQuery,
  pageTake,
  toConnection,
  type Connection,
} from '../src/pagination.ts';

/** The GraphQLError `fn` throws (fails the test when it throws nothing or something else). */
function errorOf(fn: () => unknown): GraphQLError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return error as GraphQLError;
  }
  throw new Error('expected a GraphQLError, nothing was thrown');
}
const codeOf = (fn: () => unknown) => errorOf(fn).extensions.code;

const rows = (...ids: string[]) => ids.map((id) => ({ id }));
const b64 = (value: string) => Buffer.from(value).toString('base64url');

describe('page sizes (pageTake)', () => {
  it('defaults to 20 and asks for one row more than the page, to learn whether a next page exists', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(pageTake({})).toBe(21);
    expect(pageTake({ first: null })).toBe(21);
    expect(pageTake({ first: 1 })).toBe(2);
    expect(pageTake({ first: MAX_PAGE_SIZE })).toBe(101);
  });

  it('refuses 0, negative, fractional and over-100 sizes as BAD_USER_INPUT naming `first`', () => {
    for (const first of [0, -1, 2.5, MAX_PAGE_SIZE + 1]) expect(codeOf(() => pageTake({ first }))).toBe('BAD_USER_INPUT');
    expect(errorOf(() => pageTake({ first: 101 })).extensions.fieldErrors).toEqual({ first: 'out of range' });
  });
});

describe('cursors', () => {
  it('round-trip the sort value and id of the last row, Dates included', () => {
    const at = new Date('2026-03-04T05:06:07.000Z');
    const page = toConnection([{ id: 'b', startsAt: at }], { take: 5 }, 'startsAt');
    const cursor = page.pageInfo.endCursor!;
    expect(decodeCursor(cursor)).toEqual({ value: at, id: 'b' });
    expect(decodeCursor(cursor).value).toBeInstanceOf(Date);
    const byName = toConnection([{ id: 'c', name: 'Zed' }], { take: 5 }, 'name');
    expect(decodeCursor(byName.pageInfo.endCursor!)).toEqual({ value: 'Zed', id: 'c' });
  });

  it('keeps a null sort value null, and a date-looking string a string', () => {
    const nullCursor = toConnection([{ id: 'a', endedAt: null }], { take: 5 }, 'endedAt').pageInfo.endCursor!;
    expect(decodeCursor(nullCursor)).toEqual({ value: null, id: 'a' });
    const text = toConnection([{ id: 'a', label: '2026-01-01T00:00:00.000Z' }], { take: 5 }, 'label').pageInfo.endCursor!;
    expect(decodeCursor(text).value).toBe('2026-01-01T00:00:00.000Z');
  });

  it('refuses cursors this API did not issue as BAD_USER_INPUT', () => {
    for (const bad of [
      '',
      'not base64 at all!',
      b64('not json'),
      b64('{"a":1}'),
      b64('[1,2,3]'),
      b64('["x","id"]'),
      b64('[{},"id",false]'),
    ])
      expect(codeOf(() => decodeCursor(bad))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageQuery({ after: 'garbage' }, 'name'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => mongoPageQuery({ after: 'garbage' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => pageInMemory(rows('a'), { after: 'garbage' }))).toBe('BAD_USER_INPUT');
  });
});

describe('pageQuery (Prisma keyset page)', () => {
  it('orders by id alone when sorting by id, and resumes after the cursor id', () => {
    expect(pageQuery({ first: 2 })).toEqual({ where: {}, orderBy: [{ id: 'asc' }], take: 3 });
    const after = toConnection(rows('m'), { take: 5 }).pageInfo.endCursor!;
    expect(pageQuery({ first: 2, after })).toEqual({ where: { id: { gt: 'm' } }, orderBy: [{ id: 'asc' }], take: 3 });
    expect(pageQuery({ first: 2, after }, 'id', 'desc').where).toEqual({ id: { lt: 'm' } });
  });

  it('breaks ties in the sort field by id, so no row repeats or is skipped', () => {
    const after = toConnection([{ id: 'k', name: 'Kim' }], { take: 5 }, 'name').pageInfo.endCursor!;
    expect(pageQuery({ after }, 'name', 'desc')).toEqual({
      where: { OR: [{ name: { lt: 'Kim' } }, { name: 'Kim', id: { lt: 'k' } }] },
      orderBy: [{ name: 'desc' }, { id: 'desc' }],
      take: 21,
    });
  });
});

describe('toConnection', () => {
  it('cuts the extra row and reports a next page only when it was there', () => {
    const full = toConnection(rows('a', 'b', 'c'), { take: 3 });
    expect(full.nodes.map((n) => n.id)).toEqual(['a', 'b']);
    expect(full.edges.map((e) => e.node.id)).toEqual(['a', 'b']);
    expect(full.pageInfo.hasNextPage).toBe(true);
    expect(full.pageInfo.endCursor).toBe(full.edges[1]!.cursor);
    const last = toConnection(rows('a', 'b'), { take: 3 });
    expect(last.pageInfo.hasNextPage).toBe(false);
  });

  it('has a null end cursor on an empty page', () => {
    expect(toConnection([], { take: 21 })).toEqual({ edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('mongoPageQuery', () => {
  it('pages on _id ascending from the cursor id', () => {
    expect(mongoPageQuery({ first: 5 })).toEqual({ filter: {}, sort: { _id: 1 }, limit: 6 });
    const after = toConnection(rows('d'), { take: 5 }).pageInfo.endCursor!;
    expect(mongoPageQuery({ after }).filter).toEqual({ _id: { $gt: 'd' } });
  });
});

describe('pageInMemory', () => {
  const list = rows('c', 'a', 'e', 'b', 'd');

  it('walks a loaded list by id with the same cursors, every row once', () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: Connection<{ id: string }> = pageInMemory(list, { first: 2, after });
      seen.push(...page.nodes.map((n) => n.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('does not reorder the list it was given', () => {
    pageInMemory(list, {});
    expect(list.map((r) => r.id)).toEqual(['c', 'a', 'e', 'b', 'd']);
  });
});
