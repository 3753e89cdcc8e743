import { z } from 'zod';

const uuid = z.uuid();

/** Ids are UUIDs; anything else can't name a row (and would make Postgres raise on a uuid column). */
export const isUuid = (value: string): boolean => uuid.safeParse(value).success;
export const onlyUuids = (ids: readonly string[]): string[] => ids.filter(isUuid);
