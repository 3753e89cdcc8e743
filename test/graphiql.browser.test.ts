import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, demoId, users } from '../scripts/demo/ids.ts';
import { gql } from './support/client.ts';
import { moveDemoAsset } from './support/demo-market.ts';
import { startGateway, startSubgraph, type Service } from './support/processes.ts';

// GraphiQL in a real browser (Debian's Chromium driven by playwright-core), served by the gateway.
// Screenshots go to test-results/ (git-ignored), one per scene.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const artifacts = path.resolve(import.meta.dirname, '..', 'test-results');

let context: BrowserContext;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
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
    acceptDownloads: true,
  });
  context.setDefaultTimeout(15_000);
});
afterAll(() => context?.close());

/** A fresh tab (its own sessionStorage: nobody signed in), on GraphiQL at `url`. */
async function open(url = inject('gatewayUrl')): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await expect.poll(() => page.title()).toBe('Pathway GraphiQL');
  return page;
}

async function signIn(page: Page, username: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who-name').waitFor();
}

/** The query editor's text (Monaco renders spaces as no-break spaces). */
const editorText = async (page: Page) => (await page.locator('.graphiql-query-editor').innerText()).replace(/\u00a0/g, ' ');
const tabTitles = (page: Page) => page.locator('.graphiql-tab').allInnerTexts();
const responsePane = (page: Page) => page.locator('.graphiql-response').first();
/** The result pane's text (no-break spaces made plain, as in the editor). */
const response = (page: Page) => ({ innerText: async () => (await responsePane(page).innerText()).replace(/\u00a0/g, ' ') });
/** Opens the example tab `title` (its operation's name) and waits until the editor holds it. */
async function openTab(page: Page, title: string) {
  await page.locator(`.graphiql-tab-button[title="${title}"]`).click();
  await expect.poll(() => editorText(page)).toMatch(new RegExp(`(query|subscription) ${title}\\b`));
  await page.waitForTimeout(500); // GraphiQL re-reads the operation name from the tab's text after a short debounce
}
const execute = (page: Page) => page.locator('button.graphiql-execute-button').click();

/** Replaces the query editor's text and runs it. */
async function run(page: Page, query: string) {
  await page.locator('.graphiql-query-editor .monaco-editor').first().click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(query);
  await page.waitForTimeout(500); // GraphiQL re-reads the operation name from the edited text after a short debounce
  await execute(page);
}

/** How wide the query editor's text is, and how much of it is visible without scrolling sideways. */
const editorWidths = async (page: Page) => ({
  text: await page
    .locator('.graphiql-query-editor .view-lines')
    .first()
    .evaluate((el) => el.scrollWidth),
  visible: await page
    .locator('.graphiql-query-editor .monaco-scrollable-element')
    .first()
    .evaluate((el) => el.clientWidth),
});

describe('GraphiQL in a browser', () => {
  it('an analyst signs in and sees who they are, their own examples, the docs with permissions, a chart, a CSV and a live event', async () => {
    const page = await open();
    const icon = await page.locator('link[rel=icon]').getAttribute('href');
    const favicon = await fetch(new URL(icon!, inject('gatewayUrl')));
    expect(favicon.headers.get('content-type')).toContain('image/svg+xml');
    expect((await fetch(new URL('/favicon.ico', inject('gatewayUrl')))).url).toContain('/graphiql/favicon.svg');

    await signIn(page, users.analyst.username);
    expect(await page.getByTestId('who-name').innerText()).toBe('Ray Chen');
    expect(await page.getByTestId('who-role').innerText()).toBe('analyst');
    expect(await page.getByTestId('who-tenant').innerText()).toBe('Lakeshore Department of Corrections');
    expect(await page.getByTestId('who-facility').innerText()).toBe('all facilities');

    await expect
      .poll(() => tabTitles(page))
      .toEqual(expect.arrayContaining(['StartHere', 'PeopleStats', 'LearningStats', 'MarketActivity']));
    expect(await tabTitles(page)).not.toContain('People');
    expect(await editorText(page)).toContain('# Start here');

    // The widest examples fit the editor.
    for (const title of ['FacilityComparison', 'LearningStats']) {
      await openTab(page, title);
      const widths = await editorWidths(page);
      expect(widths.text, `${title} is wider than the editor`).toBeLessThanOrEqual(widths.visible);
    }
    await openTab(page, 'FacilityComparison');
    await execute(page);
    await expect.poll(() => response(page).innerText(), { timeout: 15_000 }).toContain('facilityName');
    expect(await response(page).innerText()).not.toContain('"errors"');
    await page.screenshot({ path: path.join(artifacts, 'graphiql-analyst.png') });

    // The docs explorer says what a field requires.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).click();
    await page.locator('.graphiql-doc-explorer').getByText('marketStats', { exact: true }).click();
    await expect.poll(() => page.locator('.graphiql-doc-explorer').innerText()).toContain('market.aggregate.read');
    expect(await page.locator('.graphiql-doc-explorer').innerText()).toContain('Requires:');
    await page.screenshot({ path: path.join(artifacts, 'graphiql-docs-permission.png') });

    // The workspace charts the monthly trends (the analyst's sign-in this month is one bar at least) and saves a report as CSV.
    await page.getByRole('button', { name: 'Show Workspace' }).click();
    await page.getByTestId('trend-chart').waitFor();
    await expect
      .poll(() => page.locator('[data-testid=trend-chart] .recharts-bar-rectangle').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Program outcomes CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^program-outcomes-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe(
      'program_id,program,completed,withdrawn,dropped,failed_to_complete,transferred,segregated,incomplete,completion_rate',
    );
    expect(csv).toContain('GED Preparation');
    await page.screenshot({ path: path.join(artifacts, 'graphiql-analyst-workspace.png') });
    await page.getByRole('button', { name: 'Hide Workspace' }).click();

    // A subscription streams an event into the result pane.
    await openTab(page, 'MarketActivity');
    await execute(page);
    await page.waitForTimeout(500); // let the subscription register before the event
    await moveDemoAsset();
    await expect.poll(() => response(page).innerText(), { timeout: 15_000 }).toContain('marketActivity');
    expect(await response(page).innerText()).toMatch(/\d{10,}-\d+/); // the event cursor
    await page.screenshot({ path: path.join(artifacts, 'graphiql-subscription.png') });
    await page.close();
  });

  it("an administrator signs in, gets the administrators' examples with demo variables, and signs out clearly", async () => {
    const page = await open();
    await signIn(page, users.deptAdmin.username);
    expect(await page.getByTestId('who-name').innerText()).toBe('Dana Whitfield');
    expect(await page.getByTestId('who-role').innerText()).toBe('department_admin');
    expect(await page.getByTestId('who-tenant').innerText()).toBe('Lakeshore Department of Corrections');
    await expect.poll(() => tabTitles(page)).toEqual(expect.arrayContaining(['StartHere', 'People', 'ClassRoster', 'WebhookEndpoints']));
    expect(await tabTitles(page)).not.toContain('PeopleStats');

    await openTab(page, 'ClassRoster');
    await expect.poll(() => page.locator('.graphiql-editor-tool').innerText()).toContain(demoId('c2', 1));
    await execute(page);
    await expect.poll(() => response(page).innerText(), { timeout: 15_000 }).toContain('Marcus Lee');
    expect(await response(page).innerText()).not.toContain('"errors"');
    await page.screenshot({ path: path.join(artifacts, 'graphiql-admin.png') });

    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.getByTestId('session-ended').innerText()).toBe('Signed out.');
    await page.getByLabel('Username').waitFor();
    await page.close();
  });

  describe('with 30-second access tokens', () => {
    let identity: Service;
    let gateway: Service;
    beforeAll(async () => {
      identity = await startSubgraph('identity', { ACCESS_TOKEN_TTL_SECONDS: '30' });
      gateway = await startGateway({ IDENTITY_URL: identity.url });
    });
    afterAll(async () => {
      await gateway?.stop();
      await identity?.stop();
    });

    it(
      'refreshes the token before it expires, keeps working past the first token, and says so when the session ends',
      { timeout: 120_000 },
      async () => {
        const page = await open(gateway.url);
        await signIn(page, users.analyst.username);
        const stored = () =>
          page.evaluate(
            () =>
              JSON.parse(sessionStorage.getItem('pathway.session') ?? 'null') as {
                accessToken: string;
                refreshToken: string;
                expiresAt: number;
              } | null,
          );
        const first = (await stored())!;
        expect(first.expiresAt - Date.now()).toBeLessThanOrEqual(30_000);

        // Refreshed ahead of expiry (after about 20 s), then still answering after the first token is dead.
        await expect.poll(async () => (await stored())?.accessToken, { timeout: 40_000, interval: 1_000 }).not.toBe(first.accessToken);
        while (Date.now() < first.expiresAt + 1_000) await page.waitForTimeout(1_000);
        expect((await gql('{ me { id } }', {}, { token: first.accessToken, url: gateway.url })).errors?.[0]?.extensions?.code).toBe(
          'UNAUTHENTICATED',
        );
        await run(page, 'query Again { marketStats { listedAssets } }');
        await expect.poll(() => response(page).innerText(), { timeout: 15_000 }).toContain('listedAssets');
        expect(await response(page).innerText()).not.toContain('UNAUTHENTICATED');
        expect(await page.getByTestId('who-name').innerText()).toBe('Ray Chen');

        // The session is ended elsewhere: at the next refresh the bar says so and asks to sign in again.
        const current = (await stored())!;
        await gql('mutation($t: String!) { logout(refreshToken: $t) }', { t: current.refreshToken }, { url: gateway.url });
        await page.getByTestId('session-ended').waitFor({ timeout: 40_000 });
        expect(await page.getByTestId('session-ended').innerText()).toMatch(/Your session ended at .*Sign in again\./);
        expect(await stored()).toBeNull();
        await page.screenshot({ path: path.join(artifacts, 'graphiql-session-ended.png') });
        await page.close();
      },
    );
  });
});
