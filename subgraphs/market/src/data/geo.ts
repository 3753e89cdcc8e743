import { badInput } from '@pathway/kit';
import { Prisma } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/** The sphere every distance is measured on: the mean Earth radius (IUGG), in metres. */
export const EARTH_RADIUS_M = 6371008.8;
/** The largest search radius: beyond it a "near" search is a list of the region. */
export const MAX_RADIUS_M = 100_000;

export interface NearPoint {
  latitude: number;
  longitude: number;
  radiusMeters: number;
}

/**
 * How the index of this database finds points near another, as the migration
 * `20261202000000_listings` built it: `cube` (a GiST index on market.geo_earth, a point on the
 * sphere) where the extension could be installed, else `bbox` (the btree on (latitude, longitude)).
 */
export type GeoIndex = { kind: 'cube'; cubeSchema: string } | { kind: 'bbox' };

let detected: Promise<GeoIndex> | null = null;

/** Asked once per process: what the migration built does not change while the subgraph runs. */
export function geoIndex(tx: Tx): Promise<GeoIndex> {
  detected ??= tx.$queryRaw<{ cube_schema: string | null; has_fn: boolean }[]>`
      SELECT (SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'cube') AS cube_schema,
             to_regprocedure('market.geo_earth(double precision,double precision)') IS NOT NULL AS has_fn`
    .then(([row]) => (row?.cube_schema && row.has_fn ? { kind: 'cube' as const, cubeSchema: row.cube_schema } : { kind: 'bbox' as const }))
    .catch((error: unknown) => {
      detected = null;
      throw error;
    });
  return detected;
}

export function checkNear(near: NearPoint): NearPoint {
  const fieldErrors: Record<string, string> = {};
  const finite = (v: number) => Number.isFinite(v);
  if (!finite(near.latitude) || Math.abs(near.latitude) > 90) fieldErrors['near.latitude'] = 'must be between -90 and 90';
  if (!finite(near.longitude) || Math.abs(near.longitude) > 180) fieldErrors['near.longitude'] = 'must be between -180 and 180';
  if (!finite(near.radiusMeters) || near.radiusMeters <= 0 || near.radiusMeters > MAX_RADIUS_M)
    fieldErrors['near.radiusMeters'] = `must be more than 0 and at most ${MAX_RADIUS_M}`;
  if (Object.keys(fieldErrors).length > 0) throw badInput('The `near` point is not valid.', fieldErrors);
  return near;
}

const deg = (rad: number) => (rad * 180) / Math.PI;
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The index's prefilter: a superset of the circle that the index answers; the exact distance cuts it. */
function prefilter(index: GeoIndex, { latitude, longitude, radiusMeters }: NearPoint): Prisma.Sql {
  const angle = radiusMeters / EARTH_RADIUS_M;
  if (index.kind === 'cube') {
    // Points within great-circle distance r lie within the chord 2R·sin(r/2R) of the centre: the cube
    // enlarged by it (plus a metre against rounding) holds them all.
    const chord = 2 * EARTH_RADIUS_M * Math.sin(angle / 2) + 1;
    const schema = Prisma.raw(quoteIdent(index.cubeSchema));
    return Prisma.sql`geo_earth(latitude::float8, longitude::float8) OPERATOR(${schema}.<@)
      ${schema}.cube_enlarge(geo_earth(${latitude}::float8, ${longitude}::float8), ${chord}::float8, 3)`;
  }
  // The circle's bounding box in degrees, a millionth of a degree wider (the columns' precision).
  const slack = 1e-6;
  const minLat = latitude - deg(angle) - slack;
  const maxLat = latitude + deg(angle) + slack;
  const lat = Prisma.sql`latitude BETWEEN ${minLat}::numeric AND ${maxLat}::numeric`;
  if (minLat <= -90 || maxLat >= 90) return lat; // a pole inside: every longitude
  const dLng = deg(Math.asin(Math.min(1, Math.sin(angle) / Math.cos((latitude * Math.PI) / 180)))) + slack;
  const [west, east] = [longitude - dLng, longitude + dLng];
  // Across the antimeridian the longitude range wraps into two.
  if (west < -180) return Prisma.sql`${lat} AND (longitude >= ${west + 360}::numeric OR longitude <= ${east}::numeric)`;
  if (east > 180) return Prisma.sql`${lat} AND (longitude >= ${west}::numeric OR longitude <= ${east - 360}::numeric)`;
  return Prisma.sql`${lat} AND longitude BETWEEN ${west}::numeric AND ${east}::numeric`;
}

/** Haversine great-circle distance from the point to each row's (latitude, longitude), in metres. */
function distanceSql({ latitude, longitude }: NearPoint): Prisma.Sql {
  return Prisma.sql`2 * ${EARTH_RADIUS_M}::float8 * asin(least(1, sqrt(
      power(sin(radians(latitude::float8 - ${latitude}::float8) / 2), 2)
    + cos(radians(${latitude}::float8)) * cos(radians(latitude::float8)) * power(sin(radians(longitude::float8 - ${longitude}::float8) / 2), 2))))`;
}

/** The tables with a (latitude, longitude) pair and the geo index the migrations chose. */
export type GeoTable = 'properties' | 'city_resources';

/**
 * Every listing of the caller's tenant (Row-Level Security) within the circle, with its exact
 * distance: the index finds the candidates, the database computes the distance. Callers AND the
 * ids into their own (access-filtered) query. `index` is for tests and benchmarks comparing the two.
 */
export function listingsWithin(tx: Tx, near: NearPoint, tenantId: string | null, index?: GeoIndex): Promise<Map<string, number>> {
  return pointsWithin(tx, 'properties', near, tenantId, index);
}

/** The rows of `table` (of the caller's tenant: RLS, and `tenantId` for the index: kit `tenantOf`) within the circle, by id, with their exact distances. */
export async function pointsWithin(
  tx: Tx,
  table: GeoTable,
  near: NearPoint,
  tenantId: string | null,
  index?: GeoIndex,
): Promise<Map<string, number>> {
  index ??= await geoIndex(tx);
  const rows = await tx.$queryRaw<{ id: string; d: number }[]>`
    SELECT id::text AS id, d FROM (
      SELECT id, ${distanceSql(near)} AS d FROM ${Prisma.raw(quoteIdent(table))}
      WHERE latitude IS NOT NULL AND longitude IS NOT NULL AND ${prefilter(index, near)}
        ${tenantId ? Prisma.sql`AND tenant_id = ${tenantId}::uuid` : Prisma.empty}
    ) candidates
    WHERE d <= ${near.radiusMeters}::float8`;
  return new Map(rows.map((row) => [row.id, Number(row.d)]));
}
