import { z } from 'zod';
import { badInput } from './errors.ts';

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}
export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
export interface Connection<T> {
  edges: { node: T; cursor: string }[];
  nodes: T[];
  pageInfo: PageInfo;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

type SortValue = string | number | boolean | null;
const cursorShape = z.tuple([z.union([z.string(), z.number(), z.boolean(), z.null()]), z.string(), z.boolean()]);

/** A cursor is the sort key and id of the last row seen (keyset pagination: stable under inserts). */
export function encodeCursor(value: unknown, id: string): string {
  const isDate = value instanceof Date;
  const raw: SortValue = isDate ? value.toISOString() : (value as SortValue);
  return Buffer.from(JSON.stringify([raw, id, isDate])).toString('base64url');
}
/** Reads a cursor this API issued; anything else is the client's mistake (BAD_USER_INPUT). */
export function decodeCursor(cursor: string): { value: unknown; id: string } {
  try {
    const [raw, id, isDate] = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { value: isDate && typeof raw === 'string' ? new Date(raw) : raw, id };
  } catch {
    throw badInput('The `after` cursor is not one this API returned. Start again without it.');
  }
}

export interface PageQuery {
  where: Record<string, unknown>;
  orderBy: Record<string, 'asc' | 'desc'>[];
  take: number;
}

/**
 * Turns `first`/`after` and a sort field into a Prisma where/orderBy/take that resumes right after
 * the cursor's row, ordered by (field, id) so ties never repeat or skip a row.
 */
/** `first` validated (1–100, default 20); the fetch size is one more, to learn whether a next page exists. */
export function pageTake(args: PageArgs): number {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE)
    throw badInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}.`, { first: 'out of range' });
  return first + 1;
}

export function pageQuery(args: PageArgs, sortField = 'id', direction: 'asc' | 'desc' = 'asc'): PageQuery {
  const take = pageTake(args);
  const op = direction === 'asc' ? 'gt' : 'lt';
  const orderBy = sortField === 'id' ? [{ id: direction }] : [{ [sortField]: direction }, { id: direction }];
  if (!args.after) return { where: {}, orderBy, take };
  const { value, id } = decodeCursor(args.after);
  const where =
    sortField === 'id' ? { id: { [op]: id } } : { OR: [{ [sortField]: { [op]: value } }, { [sortField]: value, id: { [op]: id } }] };
  return { where, orderBy, take };
}

/** Builds the connection from rows fetched with `pageQuery` (which asked for one extra row). */
export function toConnection<T extends { id: string }>(rows: T[], query: Pick<PageQuery, 'take'>, sortField = 'id'): Connection<T> {
  const nodes = rows.slice(0, query.take - 1);
  const cursorOf = (row: T) => encodeCursor(sortField === 'id' ? row.id : (row as Record<string, unknown>)[sortField], row.id);
  const edges = nodes.map((node) => ({ node, cursor: cursorOf(node) }));
  return { edges, nodes, pageInfo: { hasNextPage: rows.length > nodes.length, endCursor: edges.at(-1)?.cursor ?? null } };
}

/**
 * A MongoDB keyset page on `_id` ascending (ids are UUID strings). Build the connection with
 * `toConnection(rows, { take: limit })` over rows whose `id` is the document's `_id`.
 */
export function mongoPageQuery(args: PageArgs): { filter: { _id?: { $gt: string } }; sort: { _id: 1 }; limit: number } {
  const limit = pageTake(args);
  const filter = args.after ? { _id: { $gt: decodeCursor(args.after).id } } : {};
  return { filter, sort: { _id: 1 }, limit };
}

/** Pages an already-loaded short list (batched by a loader) with the same rules and cursors, ordered by id. */
export function pageInMemory<T extends { id: string }>(rows: readonly T[], args: PageArgs): Connection<T> {
  const take = pageTake(args);
  const after = args.after ? decodeCursor(args.after).id : null;
  const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest = after ? sorted.filter((row) => row.id > after) : sorted;
  return toConnection(rest.slice(0, take), { take });
}
