import { z } from 'zod';
import { badInput, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type PageArgs } from '@pathway/kit';

// Local helpers the kit lacks (candidates for the kit): decoding its cursors outside Prisma's
// `pageQuery`, for raw SQL windows and for MongoDB. The format is the kit's exactly, base64url of
// JSON `[sortValue, id, isDate]`, so the kit's `toConnection` builds the cursors these read.

const cursorShape = z.tuple([z.union([z.string(), z.number(), z.boolean(), z.null()]), z.string(), z.boolean()]);

export function decodeCursor(cursor: string): { value: unknown; id: string } {
  try {
    const [raw, id, isDate] = cursorShape.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { value: isDate && typeof raw === 'string' ? new Date(raw) : raw, id };
  } catch {
    throw badInput('The `after` cursor is not one this API returned. Start again without it.');
  }
}

/** `first` validated as the kit does; the fetch size is one more, to learn whether a next page exists. */
export function pageTake(args: PageArgs): number {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw badInput(`\`first\` must be between 1 and ${MAX_PAGE_SIZE}.`, { first: 'out of range' });
  return first + 1;
}

/**
 * A MongoDB keyset page on `_id` ascending (ids are UUID strings). Build the connection with the
 * kit's `toConnection(rows, { take: limit })` over rows whose `id` is the document's `_id`.
 */
export function mongoPageQuery(args: PageArgs): { filter: { _id?: { $gt: string } }; sort: { _id: 1 }; limit: number } {
  const limit = pageTake(args);
  const filter = args.after ? { _id: { $gt: decodeCursor(args.after).id } } : {};
  return { filter, sort: { _id: 1 }, limit };
}
