import { badInput } from './errors.ts';

/** Postgres accepts any 8-4-4-4-12 hex form, so this does too (no version/variant check). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every key is a UUID column: anything else can't name a row, and would make Postgres raise. */
export const isUuid = (value: string): boolean => UUID.test(value);

/** Keeps only well-formed ids, so a malformed one reads as "not found" instead of a database error. */
export const uuidsOnly = (ids: readonly string[]): string[] => ids.filter(isUuid);

/** An argument that must be an id: a malformed one is the client's mistake, said plainly. */
export function uuidArg(value: string | null | undefined, name: string): string | undefined {
  if (value == null) return undefined;
  if (!isUuid(value)) throw badInput(`\`${name}\` is not a valid id.`, { [name]: 'not a UUID' });
  return value;
}
