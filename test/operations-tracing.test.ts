// OpenTelemetry across processes: a gateway and an identity subgraph of this file's own export
// spans over OTLP/HTTP (JSON) to a receiver the test runs; one operation makes one trace that
// crosses both (W3C traceparent): gateway operation → subgraph fetch → identity request → its
// Postgres transaction.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../scripts/stack.ts';
import { gql, tokenFor } from './support/client.ts';
import { startGateway, startSubgraph, subgraphEnv, type Service } from './support/processes.ts';

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

const spans: ExportedSpan[] = [];
let receiver: http.Server;
let identity: Service;
let gateway: Service;
let token: string;

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
});
