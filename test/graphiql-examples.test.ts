import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLE_SETS, examplesFor, loadExamples, type Example } from '../gateway/graphiql/src/examples.ts';
import { users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';
import { moveDemoAsset } from './support/demo-market.ts';
import { collect, wsClient } from './support/subscriptions.ts';

// Every example operation GraphiQL shows runs without errors for each role it is shown to, with the
// variables it opens with, against the demo data the test stack loads.
const dir = path.resolve(import.meta.dirname, '../gateway/graphiql/operations');
const files = Object.fromEntries(
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.graphql'))
    .map((f) => [`operations/${f}`, readFileSync(path.join(dir, f), 'utf8')]),
);
const examples = loadExamples(files);

const demoUserOf: Record<string, string> = {
  analyst: users.analyst.username,
  system_admin: users.sysadmin.username,
  department_admin: users.deptAdmin.username,
  facility_admin: users.facilityAdmin.username,
};
const roles = [...new Set(Object.values(EXAMPLE_SETS).flat())];

const clients: ReturnType<typeof wsClient>[] = [];
afterAll(() => Promise.all(clients.map((c) => c.dispose())));

describe('GraphiQL example operations', () => {
  it('are found: "Start here", an analyst set, an administrator set', () => {
    expect(examples.find((e) => e.set === 'start-here')?.name).toBe('StartHere');
    expect(examplesFor(examples, ['analyst']).map((e) => e.name)).toEqual(
      expect.arrayContaining(['StartHere', 'PeopleStats', 'LearningStats', 'MarketActivity']),
    );
    expect(examplesFor(examples, ['analyst']).map((e) => e.name)).not.toContain('People');
    expect(examplesFor(examples, ['department_admin']).map((e) => e.name)).toEqual(
      expect.arrayContaining(['People', 'ClassRoster', 'WebhookEndpoints']),
    );
    expect(examplesFor(examples, ['facility_admin']).map((e) => e.name)).not.toContain('WebhookEndpoints');
  });

  describe.each(roles)('as %s', (role) => {
    const shown = examplesFor(examples, [role]);
    const queries = shown.filter((e) => !e.subscription);

    it.each(queries.map((e) => [e.name, e] as [string, Example]))('%s answers without errors', async (_name, example) => {
      const res = await gql(example.query, example.variables ?? {}, { token: await tokenFor(demoUserOf[role]!) });
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      expect(res.data).toBeTruthy();
    });

    const subscriptions = shown.filter((e) => e.subscription);
    if (subscriptions.length)
      it('its subscriptions deliver an event without errors', async () => {
        const client = wsClient(await tokenFor(demoUserOf[role]!));
        clients.push(client);
        const received = subscriptions.map((e) => collect(client, e.query, e.variables));
        await new Promise((r) => setTimeout(r, 500)); // let the subscriptions register before the event
        await moveDemoAsset();
        for (const r of received) {
          await r.waitFor(1);
          expect(r.results[0]!.errors, JSON.stringify(r.results[0])).toBeUndefined();
          expect(Object.values(r.results[0]!.data ?? {})[0]).toBeTruthy();
          r.stop();
        }
      });
  });
});
