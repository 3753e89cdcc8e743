// OpenTelemetry across processes: a gateway and an identity subgraph of this file's own export
// spans over OTLP/HTTP (JSON) to a receiver the test runs; one operation makes one trace that
// crosses both (W3C traceparent): gateway operation → subgraph fetch → identity request → its
// Postgres transaction, and its MongoDB (here packages/mongo-wire, not mongod) and Redis calls.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/stack.ts';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';
import { seed } from './support/seed.ts';
import { startGateway, startSubgraph, subgraphEnv, type Service } from './support/processes.ts';

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: { stringValue?: string } }[];
}

const spans: ExportedSpan[] = [];
let receiver: http.Server;
let identity: Service;
let gateway: Service;
let token: string;

/** Waits for a trace rooted at the gateway's span `rootName` holding a span that `wanted` matches. */
async function traceOf(rootName: string, wanted: (span: ExportedSpan) => boolean): Promise<ExportedSpan[]> {
  for (let i = 0; i < 100; i++) {
    const root = spans.find((s) => s.service === 'pathway-gateway' && s.name === rootName);
    if (root && spans.some((s) => s.traceId === root.traceId && wanted(s))) return spans.filter((s) => s.traceId === root.traceId);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no trace of ${rootName} with the span wanted; spans seen: ${spans.map((s) => `${s.service} ${s.name}`).join(', ')}`);
}

/** The span's parents, nearest first, within its trace. */
function ancestors(trace: ExportedSpan[], span: ExportedSpan): ExportedSpan[] {
  const chain: ExportedSpan[] = [];
  for (
    let parent = trace.find((s) => s.spanId === span.parentSpanId);
    parent;
    parent = trace.find((s) => s.spanId === parent!.parentSpanId)
  )
    chain.push(parent);
  return chain;
}

/** Identity's server span for the operation: the child of the gateway's `fetch identity`. */
function identityServerSpan(trace: ExportedSpan[]): ExportedSpan | undefined {
  const fetchSpans = trace.filter((s) => s.service === 'pathway-gateway' && s.name === 'fetch identity').map((s) => s.spanId);
  return trace.find((s) => s.service === 'pathway-identity' && fetchSpans.includes(s.parentSpanId ?? ''));
}

beforeAll(async () => {
  receiver = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url === '/v1/traces') {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: {
          resource: { attributes: { key: string; value: { stringValue?: string } }[] };
          scopeSpans: { spans: Omit<ExportedSpan, 'service'>[] }[];
        }[];
      };
      for (const resource of body.resourceSpans) {
        const service = resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const scope of resource.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
  const port = await freePort();
  await new Promise<void>((resolve) => receiver.listen(port, resolve));
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://localhost:${port}` };
  identity = await startSubgraph('identity', otel);
  gateway = await startGateway({ ...subgraphEnv({ identity: identity.url }), ...otel });
  token = await tokenFor('facility.admin');
}, 180_000);
afterAll(async () => {
  await Promise.all([gateway?.stop(), identity?.stop()]);
  receiver?.close();
});

describe('OpenTelemetry traces', () => {
  it('one operation is one trace crossing the gateway and the subgraph, down to its database transaction', async () => {
    const res = await gql('query OpsTraced { me { id } }', {}, { url: gateway.url, token });
    expect(res.errors).toBeUndefined();

    let root: ExportedSpan | undefined;
    for (let i = 0; i < 100; i++) {
      root = spans.find((s) => s.service === 'pathway-gateway' && s.name === 'query OpsTraced');
      if (root && spans.some((s) => s.traceId === root!.traceId && s.service === 'pathway-identity' && s.name === 'postgres transaction'))
        break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(root).toBeDefined();
    const trace = spans.filter((s) => s.traceId === root!.traceId);
    const fetchSpan = trace.find((s) => s.service === 'pathway-gateway' && s.name === 'fetch identity');
    expect(fetchSpan?.parentSpanId).toBe(root!.spanId);
    const subgraphSpan = trace.find((s) => s.service === 'pathway-identity' && s.parentSpanId === fetchSpan!.spanId);
    expect(subgraphSpan?.name).toMatch(/OpsTraced/);
    const database = trace.find((s) => s.service === 'pathway-identity' && s.name === 'postgres transaction');
    expect(database).toBeDefined();
  });

  it('a MongoDB command (against mongo-wire) has its span under the subgraph request that made it', async () => {
    // The profile lives in identity's MongoDB collection `profiles`.
    const res = await gql('query OpsTracedProfile { me { id profile { bio } } }', {}, { url: gateway.url, token });
    expect(res.errors).toBeUndefined();
    const isMongo = (s: ExportedSpan) => s.service === 'pathway-identity' && /^find profiles/.test(s.name);
    const trace = await traceOf('query OpsTracedProfile', isMongo);
    const server = identityServerSpan(trace);
    expect(server?.name).toMatch(/OpsTracedProfile/);
    const mongo = trace.find(isMongo)!;
    expect(ancestors(trace, mongo).map((s) => s.spanId)).toContain(server!.spanId);
  });

  it('a Redis command has its span under the subgraph request that made it, naming the command only', async () => {
    // Switching a facility's flag republishes the facility's flags to a Redis hash (HSET).
    const tenant = await seed.tenant();
    const facility = await tenant.facility();
    const res = await gql(
      'mutation OpsTracedFlag($facilityId: UUID!, $tenantId: UUID) { setFacilityFeatureFlag(facilityId: $facilityId, flag: open_content, enabled: false, tenantId: $tenantId) { enabled } }',
      { facilityId: facility.id, tenantId: tenant.id },
      { url: gateway.url, token: await tokenFor(users.sysadmin.username) },
    );
    expect(res.errors).toBeUndefined();
    const isRedis = (s: ExportedSpan) => s.service === 'pathway-identity' && s.name === 'hset';
    const trace = await traceOf('mutation OpsTracedFlag', isRedis);
    const server = identityServerSpan(trace);
    expect(server?.name).toMatch(/OpsTracedFlag/);
    const redis = trace.find(isRedis)!;
    expect(ancestors(trace, redis).map((s) => s.spanId)).toContain(server!.spanId);
    // The statement is the command's name: no key or value (the facility id) reaches the exporter.
    const statement = redis.attributes?.find((a) => a.key === 'db.query.text')?.value.stringValue;
    expect(statement).toBe('hset');
    expect(JSON.stringify(redis)).not.toContain(facility.id);
  });
});
