import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, demoId, users } from '../scripts/demo/ids.ts';
import { gql, tokenFor } from './support/client.ts';

// GraphiQL in a real browser (Debian's Chromium driven by playwright-core), served by the gateway.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = path.resolve(import.meta.dirname, '..', 'test-results');

let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  context = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'pathway-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1400, height: 900 },
  });
  page = await context.newPage();
});
afterAll(() => context?.close());

/** Replaces the query editor's text and runs it. */
async function run(query: string) {
  const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(query);
  await page.waitForTimeout(500); // GraphiQL re-reads the operation name from the edited text after a short debounce
  await page.locator('button.graphiql-execute-button').click();
}

const response = () => page.locator('.graphiql-response').first();

describe('GraphiQL in a browser', () => {
  it('an analyst signs in, runs an aggregate query, and watches a subscription deliver an event', async () => {
    await page.goto(inject('gatewayUrl'));
    await expect.poll(() => page.title()).toBe('Pathway GraphiQL');

    await page.getByLabel('Username').fill(users.analyst.username);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signed-in').waitFor();

    await run('query Stats { marketStats { listedAssets properties { status count } } }');
    await expect.poll(() => response().innerText(), { timeout: 15_000 }).toContain('listedAssets');
    expect(await response().innerText()).not.toContain('FORBIDDEN');

    await run('subscription Activity { marketActivity { cursor stats { listedAssets } } }');
    await page.waitForTimeout(500); // let the subscription register before the event
    const moved = await gql(
      'mutation($a: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $a, toUserId: $to) { id } }',
      { a: demoId('f2', 2), to: users.residentGarcia.id },
      { token: await tokenFor(users.sysadmin.username) },
    );
    expect(moved.errors).toBeUndefined();
    await expect.poll(() => response().innerText(), { timeout: 15_000 }).toContain('marketActivity');
    expect(await response().innerText()).toMatch(/\d{10,}-\d+/); // the event cursor

    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: path.join(artifacts, 'graphiql-analyst.png'), fullPage: true });
    await gql(
      'mutation($a: UUID!, $to: UUID!) { transferDigitalAsset(assetId: $a, toUserId: $to) { id } }',
      { a: demoId('f2', 2), to: users.residentLee.id },
      { token: await tokenFor(users.sysadmin.username) },
    );
  });
});
