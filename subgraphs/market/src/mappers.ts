/**
 * The parent type behind each GraphQL type whose resolvers receive something other than the
 * generated type (codegen.ts reads every `…Mapper` here): a Prisma row, a Mongo document as
 * data/assets.ts hands it out, and a reference to the person identity owns.
 */
import type { Property } from './generated/prisma/client.ts';
import type { DigitalAssetRow } from './data/assets.ts';

export type PropertyMapper = Property;
/** The asset document with `_id` as `id`, without its pending events. */
export type DigitalAssetMapper = DigitalAssetRow;
/** identity owns the person: market hangs listings and holdings on the id. */
export type UserMapper = { id: string };
