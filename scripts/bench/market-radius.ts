// Radius search of listings at 5,000 and 50,000 listings of one tenant: latency through the gateway
// (a resident's `properties(filter: { near }, sort: DISTANCE)`, response cache off), and the
// database's own candidate query (data/geo.ts) with each prefilter, the cube GiST index and the
// bounding-box fallback, with the plan Postgres chose. Listings are spread uniformly over a ~100 km
// square around Chicago; each search is a 5 km circle at a random point of it.
import pg from 'pg';
import { pgAdapter } from '@pathway/kit';
import { PrismaClient } from '../../subgraphs/market/src/generated/prisma/client.ts';
import { geoIndex, listingsWithin, type GeoIndex } from '../../subgraphs/market/src/data/geo.ts';
import { tenants, users } from '../demo/ids.ts';
import { benchStack, gql, loginAs, percentile } from './support.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const RADIUS = Number(process.env.BENCH_RADIUS_M ?? 5000);
const AREA = { lat: 41.45, lng: -88.3, span: 0.9 }; // south-west corner, degrees
const SEARCH = `query($near: NearPoint!) { properties(filter: { near: $near }, sort: { field: DISTANCE }, first: 20) {
  nodes { id price distanceMeters } pageInfo { hasNextPage } } }`;

const point = () => ({
  latitude: AREA.lat + Math.random() * AREA.span,
  longitude: AREA.lng + Math.random() * AREA.span,
  radiusMeters: RADIUS,
});

/** Adds `count` listings of the Lakeshore demo tenant, owned by its partner, straight into the table (as the owner). */
async function addListings(url: string, count: number) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO market.properties (id, tenant_id, owner_id, property_type, status, address, latitude, longitude, price, size_sqft, features, updated_at)
       SELECT gen_random_uuid(), $1, $2, 'apartment', 'available', jsonb_build_object('line1', i || ' Bench Ave', 'city', 'Chicago', 'country', 'US'),
              round(($3 + random() * $5)::numeric, 6), round(($4 + random() * $5)::numeric, 6), round((400 + random() * 1600)::numeric, 2),
              round((300 + random() * 900)::numeric, 2), '{}'::jsonb, now()
       FROM generate_series(1, $6) AS i`,
      [tenants.lakeshore, users.partner.id, AREA.lat, AREA.lng, AREA.span, count],
    );
    await db.query('ANALYZE market.properties');
  } finally {
    await db.end();
  }
}

async function timed(fn: () => Promise<unknown>, n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

export async function run(): Promise<void> {
  const stack = await benchStack('market_radius', { RESPONSE_CACHE: 'off' });
  const prisma = new PrismaClient({ adapter: pgAdapter(stack.databaseUrl, 'market') });
  try {
    const token = await loginAs(stack.gatewayUrl, users.residentLee.username);
    const owner = stack.databaseUrl;
    let total = 0;
    for (const size of [5_000, 50_000]) {
      await addListings(owner, size - total);
      total = size;
      let found = 0;
      const api = await timed(async () => {
        const res = await gql<{ properties: { nodes: unknown[] } }>(stack.gatewayUrl, SEARCH, { near: point() }, token);
        if (!res.data) throw new Error(JSON.stringify(res.errors));
        found += res.data.properties.nodes.length;
      }, REQUESTS);
      const chosen = await prisma.$transaction((tx) => geoIndex(tx));
      const sql: Record<string, { p50: number; p95: number; inCircle: number }> = {};
      for (const index of [chosen, { kind: 'bbox' } as GeoIndex]) {
        let inCircle = 0;
        const t = await timed(async () => {
          inCircle += (await prisma.$transaction((tx) => listingsWithin(tx, point(), null, index))).size;
        }, REQUESTS);
        sql[index.kind] = { ...t, inCircle: Math.round(inCircle / REQUESTS) };
      }
      const fmt = (t: { p50: number; p95: number }) => `p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`;
      console.log(`${size} listings (chosen index: ${chosen.kind}):`);
      console.log(`  gateway, first 20 by distance: ${fmt(api)} (${(found / REQUESTS).toFixed(1)} listings per answer)`);
      for (const [kind, t] of Object.entries(sql))
        console.log(`  candidate query, ${kind} prefilter: ${fmt(t)} (${t.inCircle} in the circle on average)`);
    }
    // The plan of the cube prefilter, to show it uses the index.
    const db = new pg.Client({ connectionString: owner });
    await db.connect();
    const plan = await db.query(
      `EXPLAIN SELECT id FROM market.properties WHERE market.geo_earth(latitude::float8, longitude::float8)
         OPERATOR(market.<@) market.cube_enlarge(market.geo_earth(41.88, -87.63), 5000, 3)`,
    );
    await db.end();
    console.log(`  plan (cube): ${plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']!.trim()).join(' | ')}`);
  } finally {
    await prisma.$disconnect();
    await stack.dispose();
  }
}
