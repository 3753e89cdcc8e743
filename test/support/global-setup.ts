// Starts one real stack for the cross-subgraph tests: a fresh database in whichever Postgres is in
// use (DATABASE_URL, else embedded), Redis (REDIS_URL on a database index of its own, else embedded),
// MongoDB (MONGODB_URL, else the project's own wire-protocol server), five subgraphs and the gateway,
// each a real process on a free port, spoken to over real HTTP.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';
import type { TestProject } from 'vitest/node';
import { createDatabase, dropDatabase, resolvePostgres } from '@pathway/devstack';
import { freePort, pinnedRedisDb, startStack, withRedisDb, type Stack } from '../../scripts/stack.ts';
import { DEMO_PASSWORD } from '../../scripts/demo/ids.ts';
import { CHOSEN_PASSWORD, SEED_TEMPORARY_PASSWORD } from './passwords.ts';
import { TEST_RATE_LIMITS } from './rate-limits.ts';
import { findSecretsInLogs } from './secrets-in-logs.ts';
import { failRunOnError } from './teardown-guard.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    gatewayUrl: string;
    subgraphUrls: Record<string, string>;
    databaseUrl: string;
    adminDatabaseUrl: string;
    redisUrl: string;
    mongoUrl: string;
    secrets: Stack['secrets'];
    mongoSource: string;
    /** The certificate and key of the tests' local HTTPS webhook receivers (trusted by identity). */
    webhookTls: { cert: string; key: string };
    /** Where behavior sends email (BEHAVIOR_SMTP_URL): test/behavior-communications starts its SMTP server here. */
    smtpPort: number;
    /** Where the tests record the tokens the API issued them, for the teardown's look through the logs. */
    issuedSecretsDir: string;
  }
}

const root = path.resolve(import.meta.dirname, '../..');
const stateDir = path.join(root, '.pathway', 'test');

export default async function setup(project: TestProject) {
  const log = (line: string) => process.env.PATHWAY_TEST_VERBOSE && console.log(`[stack] ${line}`);
  const postgres = await resolvePostgres({ stateDir, log });
  const dbName = `pathway_test_${process.pid}`;
  const databaseUrl = await createDatabase(postgres.url, dbName);
  const env: Record<string, string> = { DATABASE_URL: databaseUrl, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' };
  // A Redis database index of this run's own (1–14), so `pnpm start` (0) or another run isn't disturbed;
  // 15 belongs to the gateway unit tests, which rewrite the permission directory.
  // PATHWAY_TEST_REDIS_DB pins it, for several runs side by side on one machine.
  const redisDb = pinnedRedisDb() ?? 1 + (process.pid % 14);
  if (process.env.REDIS_URL) env.REDIS_URL = withRedisDb(process.env.REDIS_URL, redisDb);
  // Webhooks: test receivers are HTTPS servers on localhost with this run's self-signed certificate,
  // which identity trusts; retries are quick (3 attempts, 200 ms doubling) so a dead letter comes soon,
  // and a crashed reader's events are taken over after 1 s.
  const webhookTls = await webhookCertificate(path.join(stateDir, `webhook-tls-${process.pid}`));
  const smtpPort = await freePort();
  Object.assign(env, {
    WEBHOOK_CA_FILE: webhookTls.file,
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    WEBHOOK_MAX_ATTEMPTS: '3',
    WEBHOOK_BACKOFF_MS: '200',
    WEBHOOK_TIMEOUT_MS: '5000',
    WEBHOOK_CLAIM_IDLE_MS: '1000',
    // Learning: the tests' provider stand-ins are plain-http servers on localhost; retries are quick.
    PROVIDER_ALLOW_PRIVATE_NETWORKS: 'true',
    PROVIDER_BACKOFF_MS: '20',
    PROVIDER_TIMEOUT_MS: '3000',
    // Campus's activation job would flip test classes (whose start dates are past) to Active in the
    // middle of a test: its schedule is off; test/campus-activation adds the job by hand, with its own clock and tenant.
    CAMPUS_ACTIVATION_CRON: 'off',
    ...TEST_RATE_LIMITS,
    // Behavior: email goes to an SMTP server test/behavior-communications starts on this port; three
    // quick attempts per message.
    BEHAVIOR_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    BEHAVIOR_COMMUNICATION_ATTEMPTS: '3',
    BEHAVIOR_COMMUNICATION_BACKOFF_MS: '100',
    BEHAVIOR_SMTP_TIMEOUT_MS: '3000',
  });
  // Every process's log of this run, read at the end for secrets (so a run starts with none).
  const logDir = path.join(stateDir, pinnedRedisDb() ? `logs-${redisDb}` : 'logs');
  const issuedSecretsDir = path.join(stateDir, `issued-${process.pid}`);
  for (const dir of [logDir, issuedSecretsDir]) rmSync(dir, { recursive: true, force: true });
  let stack: Stack;
  try {
    stack = await startStack({ stateDir, ports: 'random', demo: true, env, output: logDir, log });
  } catch (error) {
    await dropDatabase(postgres.url, dbName).catch(() => {});
    await postgres.stop();
    throw error;
  }
  project.provide('gatewayUrl', stack.gatewayUrl);
  project.provide('subgraphUrls', stack.subgraphUrls);
  project.provide('databaseUrl', stack.databaseUrl);
  project.provide('adminDatabaseUrl', databaseUrl);
  project.provide('redisUrl', stack.redisUrl);
  project.provide('mongoUrl', stack.mongoUrl);
  project.provide('secrets', stack.secrets);
  project.provide('mongoSource', stack.sources.mongo ?? 'unknown');
  project.provide('webhookTls', { cert: webhookTls.cert, key: webhookTls.key });
  project.provide('smtpPort', smtpPort);
  project.provide('issuedSecretsDir', issuedSecretsDir);
  return failRunOnError(async () => {
    await stack.stop();
    rmSync(path.dirname(webhookTls.file), { recursive: true, force: true });
    await dropDatabase(postgres.url, dbName).catch(() => {});
    await postgres.stop();
    // No secret in any log line of the whole run: the passwords, every token the tests were issued, the stack's secrets.
    const known = {
      'demo password': DEMO_PASSWORD,
      'chosen password': CHOSEN_PASSWORD,
      'seeded password': SEED_TEMPORARY_PASSWORD,
      ...stack.secrets,
    };
    const { leaks, tokens } = findSecretsInLogs(logDir, issuedSecretsDir, known);
    rmSync(issuedSecretsDir, { recursive: true, force: true });
    if (leaks.length) throw new Error(`Secrets in the stack's logs (${tokens} issued tokens checked): ${leaks.join('; ')}`);
    log(`no secret in the logs (${tokens} issued tokens and ${Object.keys(known).length} secrets checked)`);
  });
}

/** A self-signed certificate for localhost (its own CA), written where identity's WEBHOOK_CA_FILE points. */
async function webhookCertificate(dir: string) {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 7 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'ca.pem');
  writeFileSync(file, pems.cert);
  return { file, cert: pems.cert, key: pems.private };
}
