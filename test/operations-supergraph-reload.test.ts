// Supergraph reload without downtime: a gateway of this file's own reads a copy of the supergraph;
// the test swaps the file under it while requests keep flowing. A changed supergraph is applied; one
// that fails to load is refused (logged, counted) and the last good one keeps serving.
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, tokenFor } from './support/client.ts';
import { logLines, scrape, startGateway, type Service } from './support/processes.ts';

const original = path.resolve(import.meta.dirname, '../schema/supergraph.graphql');
const dir = mkdtempSync(path.join(tmpdir(), 'pathway-supergraph-'));
const file = path.join(dir, 'supergraph.graphql');
let gateway: Service;
let token: string;

beforeAll(async () => {
  copyFileSync(original, file);
  gateway = await startGateway({ SUPERGRAPH_PATH: file, SUPERGRAPH_POLL_MS: '200', LOG_LEVEL: 'info' });
  token = await tokenFor('facility.admin');
}, 120_000);
afterAll(async () => {
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Replaces the file the way a deploy does: write aside, then rename over (never a half-written file). */
function swap(sdl: string) {
  writeFileSync(`${file}.next`, sdl);
  renameSync(`${file}.next`, file);
}

const ME = 'query OpsReloadMe { me { id } }';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps asking `{ __typename }` until stopped; every answer must be a success. */
function steadyTraffic() {
  let running = true;
  const failures: string[] = [];
  let answered = 0;
  const loop = (async () => {
    while (running) {
      const res = await gql<{ __typename: string }>('query OpsReloadSteady { __typename }', {}, { url: gateway.url, token }).catch(
        (error: unknown) => ({ status: 0, errors: [{ message: String(error) }] }),
      );
      if (res.status !== 200 || res.errors) failures.push(JSON.stringify(res.errors));
      else answered++;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { failures, answered };
    },
  };
}

async function until(check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 100; i++) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; gateway exit ${gateway.process.exitCode}, it logged: ${gateway.output().slice(-3000)}`);
}

describe('supergraph reload', () => {
  it(
    'applies a changed supergraph, refuses a broken one while serving the last good one, and drops no request',
    { timeout: 90_000 },
    async () => {
      expect((await gql(ME, {}, { url: gateway.url, token })).errors).toBeUndefined();
      const traffic = steadyTraffic();

      // 1. A new supergraph without Query.me: once applied, asking for `me` fails validation.
      const sdl = readFileSync(original, 'utf8');
      const withoutMe = sdl.replace(/^ {2}(?:"""[^\n]*"""\n {2})?me: User @join__field\(graph: IDENTITY\)\n/m, '');
      expect(withoutMe).not.toBe(sdl);
      swap(withoutMe);
      await until(
        async () => (await gql(ME, {}, { url: gateway.url, token })).errors?.[0]?.extensions?.code === 'GRAPHQL_VALIDATION_FAILED',
        'the reload',
      );

      // 2. A broken supergraph (not a composed supergraph at all): refused; the last good one serves.
      swap('type Query { broken: String }\n');
      await until(
        async () => (await scrape(gateway.base))('pathway_gateway_supergraph_reloads_total', { outcome: 'refused' }) === 1,
        'the refusal',
      );
      await sleep(500); // several polls later it is still refused, not retried in a loop
      const read = await scrape(gateway.base);
      expect(read('pathway_gateway_supergraph_reloads_total', { outcome: 'refused' })).toBe(1);
      expect(read('pathway_gateway_supergraph_reloads_total', { outcome: 'applied' })).toBe(1);
      expect((await gql(ME, {}, { url: gateway.url, token })).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await fetch(`${gateway.base}/readyz`)).status).toBe(200);
      expect(logLines(gateway.output()).some((l) => l.msg === 'supergraph refused; serving the last good one')).toBe(true);

      // 3. The original again: `me` is back.
      swap(sdl);
      await until(async () => (await gql(ME, {}, { url: gateway.url, token })).errors === undefined, 'the second reload');

      const { failures, answered } = await traffic.stop();
      expect(failures).toEqual([]);
      expect(answered).toBeGreaterThan(5);
    },
  );
});
