import { badInput } from '@pathway/kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** Every key is a UUID column: a malformed id would be a Postgres error, so it is refused up front. */
export function requireUuid(value: string | null | undefined, arg: string): void {
  if (value != null && !isUuid(value)) throw badInput(`\`${arg}\` must be a UUID.`, { [arg]: 'not a UUID' });
}
