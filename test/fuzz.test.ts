import pg from 'pg';
import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isLeafType,
  type GraphQLField,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor, type GraphQLResponse } from './support/client.ts';
import { describeValue, plausible, positions } from './support/fuzz-inputs.ts';
import { seed } from './support/seed.ts';

// Every mutation and every query that takes arguments gets generated bad inputs (wrong types,
// boundaries, NUL and right-to-left unicode, 100k strings, 10k-item lists, deep and operator
// objects), sent by an administrator of a tenant of the fuzzer's own. Whatever the input: no HTTP
// 5xx, no internal error (masked or not), nothing of the server's insides in the answer, and when
// the answer is a refusal the tenant's rows in every subgraph's tables are exactly as before.
// MongoDB documents are not fingerprinted (mongo-wire here); their writes follow the same checks.

// An internal URL has a host after the scheme ("must be an https:// URL" is advice, not a leak).
const LEAKS =
  /prisma|postgres|invalid input syntax|out of range|call stack|https?:\/\/(?!example\.org)[\w-]+[.:]|\.ts:\d+|\bat [^\s()]+ \([^)]*:\d+:\d+\)/i;

const introspection = await gql<IntrospectionQuery>(getIntrospectionQuery(), {}, { token: await tokenFor(users.sysadmin.username) });
const schema: GraphQLSchema = buildClientSchema(introspection.data!);

/** The root fields fuzzed: every mutation, every query with arguments. */
const targets = (root: 'Query' | 'Mutation'): GraphQLField<unknown, unknown>[] =>
  Object.values((root === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()).filter(
    (field) => root === 'Mutation' || field.args.length > 0,
  );

/** The operation for one root field: every argument a variable, the answer's `__typename` only. */
function document(root: 'Query' | 'Mutation', field: GraphQLField<unknown, unknown>): string {
  const definitions = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${root.toLowerCase()} Fuzz${definitions ? `(${definitions})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
}

let db: pg.Client;
let tenantId: string;
let token: string;
let fingerprintSql: string;

/** The fuzz tenant's rows in every tenant table (outboxes left out: their relays mark rows published on their own time). */
async function fingerprint(): Promise<string> {
  const { rows } = await db.query<{ t: string; n: string; h: string }>(fingerprintSql, [tenantId]);
  return rows.map((r) => `${r.t}:${r.n}:${r.h}`).join('\n');
}

const OUTBOXES = ['identity', 'campus', 'learning', 'behavior', 'market'].map((schema) => `${schema}.outbox_events`);

/** The newest outbox row of each subgraph now (0 when empty): its relay deletes a row once published. */
async function outboxMarks(): Promise<number[]> {
  const { rows } = await db.query<{ id: string }>(
    OUTBOXES.map((t) => `(SELECT coalesce(max(id), 0)::text AS id FROM ${t})`).join(' UNION ALL '),
  );
  return rows.map((r) => Number(r.id));
}

/** Whether every outbox row up to `marks` has been published (other files' newer rows may wait). */
async function relayedUpTo(marks: number[]): Promise<boolean> {
  const checks = OUTBOXES.map((t, i) => `(SELECT count(*)::int AS n FROM ${t} WHERE id <= ${marks[i]})`);
  const { rows } = await db.query<{ n: number }>(checks.join(' UNION ALL '));
  return rows.every((r) => r.n === 0);
}

/**
 * After an accepted write, what it set off settles first: its events relayed (its outbox rows
 * gone; a relay that was idle polls less often), then the projections they feed quiet for 250 ms.
 */
async function settledFingerprint(): Promise<string> {
  const marks = await outboxMarks();
  let last = await fingerprint();
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const next = await fingerprint();
    if (next === last && (await relayedUpTo(marks))) return next;
    last = next;
  }
  return last;
}

beforeAll(async () => {
  const tenant = await seed.tenant({ name: 'Fuzz tenant' });
  tenantId = tenant.id;
  const facility = await tenant.facility();
  await Promise.all([facility.resident(), facility.staff()]);
  token = (await (await tenant.departmentAdmin()).api()).accessToken;
  db = new pg.Client({ connectionString: inject('adminDatabaseUrl') });
  await db.connect();
  const tables = await db.query<{ name: string }>(
    `SELECT table_schema || '.' || table_name AS name FROM information_schema.columns
      WHERE column_name = 'tenant_id' AND table_schema IN ('identity', 'campus', 'learning', 'behavior', 'market')
        AND table_name NOT LIKE '%outbox%'
      ORDER BY 1`,
  );
  fingerprintSql = [
    `SELECT 'identity.tenants' AS t, count(*)::text AS n, md5(coalesce(string_agg(md5(x::text), ',' ORDER BY md5(x::text)), '')) AS h FROM identity.tenants x WHERE id = $1`,
    ...tables.rows.map(
      ({ name }) =>
        `SELECT '${name}', count(*)::text, md5(coalesce(string_agg(md5(x::text), ',' ORDER BY md5(x::text)), '')) FROM ${name} x WHERE tenant_id = $1`,
    ),
  ].join(' UNION ALL ');
});
afterAll(() => db?.end());

interface Finding {
  field: string;
  path: string;
  value: string;
  problem: string;
}

/** Sends every case for one root field and returns what went wrong. */
async function fuzz(root: 'Query' | 'Mutation', field: GraphQLField<unknown, unknown>): Promise<Finding[]> {
  const query = document(root, field);
  const base = Object.fromEntries(field.args.map((a) => [a.name, plausible(a.type, a.name)]));
  const findings: Finding[] = [];
  for (const arg of field.args) {
    for (const c of positions(arg)) {
      const report = (problem: string) => findings.push({ field: field.name, path: c.path, value: describeValue(c.bad), problem });
      // Taken just before the request: what an earlier accepted write set off can land after its
      // settling looked done (a loaded machine delays a projection past 250 ms), and is not this case's doing.
      const before = await fingerprint();
      const send = () =>
        fetch(inject('gatewayUrl'), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, variables: { ...base, [arg.name]: c.value } }),
        });
      const response = await send();
      const text = await response.text();
      if (response.status >= 500) report(`HTTP ${response.status}`);
      let answer: GraphQLResponse;
      try {
        answer = JSON.parse(text) as GraphQLResponse;
      } catch {
        report(`not JSON: ${text.slice(0, 80)}`);
        continue;
      }
      const internal = answer.errors?.find((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' || !e.extensions?.code);
      if (internal) report(`internal error: ${internal.message}`);
      if (LEAKS.test(JSON.stringify(answer.errors ?? []))) report(`leak: ${JSON.stringify(answer.errors).slice(0, 160)}`);
      // No `data` at all: refused before execution (parse, validation, variables), so nothing ran.
      if (answer.data === undefined) continue;
      const accepted = answer.data?.[field.name] != null;
      if (accepted) await settledFingerprint();
      else if ((await fingerprint()) !== before && (await refusalChangesRows(send))) report('refused, yet the database changed');
    }
  }
  return findings;
}

/**
 * A change seen around a refusal, asked again once things are quiet: a refusal that writes does so
 * again, while a background job (a hold lapsing, an insight recomputed) does not land twice in the
 * same few milliseconds.
 */
async function refusalChangesRows(send: () => Promise<Response>): Promise<boolean> {
  await settledFingerprint();
  const before = await fingerprint();
  await (await send()).text();
  return (await fingerprint()) !== before;
}

describe('fuzzing every mutation and argument-taking query with bad inputs, as an administrator', () => {
  for (const root of ['Mutation', 'Query'] as const) {
    it(`${root}: no 5xx, no internal or unmasked error, and a refusal changes nothing`, { timeout: 900_000 }, async () => {
      const findings: Finding[] = [];
      for (const field of targets(root)) findings.push(...(await fuzz(root, field)));
      expect(findings).toEqual([]);
    });
  }
});
