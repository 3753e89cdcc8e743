import { forbidden, notFound, type EntityAccess, type Identity } from '@pathway/kit';
import { z } from 'zod';

/**
 * The id checks every write of this subgraph makes: the row must be one the caller may change;
 * one they may see but not change is FORBIDDEN, one they cannot see (unknown, another tenant's,
 * outside their caseload) is NOT_FOUND, so a refusal says nothing about rows out of reach.
 */
export async function findManaged<Row, W>(
  what: string,
  identity: Identity,
  manage: EntityAccess<W>,
  visible: EntityAccess<W>,
  find: (where: W) => Promise<Row | null>,
  id: string,
): Promise<Row> {
  const row = await find({ AND: [{ id }, manage.where(identity)] } as W);
  if (row) return row;
  if (await find({ AND: [{ id }, visible.where(identity)] } as W)) throw forbidden(`You may see ${what.toLowerCase()} but not change it.`);
  throw notFound(what);
}

/** Free text a person typed: trimmed, required ones non-empty, all bounded. */
export const requiredText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

export const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ().-]{5,23}$/, 'must be a phone number (digits, spaces, + ( ) . -)')
  .nullish()
  .transform((v) => v ?? null);

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('must be an email address'))
  .nullish()
  .transform((v) => v ?? null);

/** A reason for an archive or removal: required, so the history says why. */
export const reason = requiredText(500);

/** Keeps only the keys the client sent (absent: unchanged), for merging a patch over the current row. */
export const sent = <T extends object>(patch: T): Partial<T> =>
  Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
