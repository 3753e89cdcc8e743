// `pnpm start`: the whole supergraph on embedded defaults (or DATABASE_URL / REDIS_URL / MONGODB_URL),
// every process from its compiled bundle (dist/, built on install). `pnpm dev`: the same from the
// TypeScript sources, each process restarting when its files change.
//
// Two processes: this one, in the terminal's process group, checks the configuration and forwards
// Ctrl-C; the stack runs in a process group of its own, so Ctrl-C reaches no database and no subgraph
// directly: the stack stops them in order (gateway, subgraphs, then Postgres, Redis, MongoDB).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '@pathway/kit';
import { buildAll, staleBundles } from './build.ts';
import { DEMO_PASSWORD, demoIntegrator, users } from './demo/ids.ts';
import { startEnv, startStack, type Stack } from './stack.ts';

const root = new URL('..', import.meta.url).pathname;
const dev = process.argv.includes('--dev');
const say = (line: string) => console.log(`[start] ${line}`);

if (process.env.PATHWAY_START_STACK === '1') await runStack();
else await supervise();

/** The terminal's side: configuration, a build when a bundle is stale, then the stack in its own process group. */
async function supervise(): Promise<void> {
  try {
    loadConfig(startEnv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`start: ${error.message}\n`);
    process.exit(1);
  }
  if (!dev) {
    const stale = staleBundles();
    if (stale.length > 0) {
      const started = Date.now();
      await buildAll();
      say(`rebuilt ${stale.length} bundle(s) older than their sources (${Date.now() - started} ms)`);
    }
  }
  const entry = dev ? process.argv[1]! : path.join(root, 'dist/start.js');
  const stack = spawn(process.execPath, [...(dev ? process.execArgv : []), entry, ...process.argv.slice(2)], {
    detached: true,
    stdio: 'inherit',
    env: { ...process.env, PATHWAY_START_STACK: '1', PATHWAY_STARTED_AT: String(Date.now()) },
  });
  let forwarded = false;
  const forward = () => {
    if (forwarded) return;
    forwarded = true;
    stack.kill('SIGTERM');
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
  stack.once('exit', (code) => process.exit(forwarded ? 0 : (code ?? 1)));
}

/** The stack's side: start everything, print the welcome, stop everything in order on SIGTERM. */
async function runStack(): Promise<void> {
  const config = loadConfig(startEnv);
  let stack: Stack | undefined;
  let stopRequested = false;
  const stop = async () => {
    say('stopping…');
    await stack?.stop().catch((error: unknown) => say(`while stopping: ${error instanceof Error ? error.message : String(error)}`));
    say('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (stopRequested) return;
      stopRequested = true;
      // A signal while starting waits for the start to finish (or fail), which then stops what it began.
      if (stack) void stop();
    });
  }
  const started = Number(process.env.PATHWAY_STARTED_AT) || Date.now();
  // The subgraphs' webhook and provider settings reach them from this shell (e.g.
  // `WEBHOOK_ALLOW_PRIVATE_NETWORKS=true pnpm start` for a receiver on this machine; README, Webhooks).
  const subgraphSettings = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && /^(WEBHOOK|PROVIDER)_/.test(entry[0]),
    ),
  );
  try {
    stack = await startStack({
      stateDir: process.env.PATHWAY_STATE_DIR ?? path.join(root, '.pathway'),
      ports: 'fixed',
      env: subgraphSettings,
      demo: config.PATHWAY_DEMO === '1',
      output: 'console',
      runtime: dev ? 'watch' : 'compiled',
      startTimeoutMs: config.PATHWAY_START_TIMEOUT_MS,
      log: say,
    });
  } catch (error) {
    process.stderr.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  if (stopRequested) return stop();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const logins = Object.values(users).map((u) => `    ${u.role.padEnd(17)} ${u.username}`);
  console.log(
    [
      '',
      `Pathway is up in ${seconds} s (postgres: ${stack.sources.postgres}, redis: ${stack.sources.redis}, mongo: ${stack.sources.mongo}).`,
      `  GraphiQL and API: ${stack.gatewayUrl}`,
      `  Demo logins (password ${DEMO_PASSWORD}):`,
      ...logins,
      ...(config.PATHWAY_DEMO === '1' && config.NODE_ENV !== 'production'
        ? [`  Demo integrator (service account ${demoIntegrator.id}): Authorization: ApiKey ${demoIntegrator.developmentKey}`]
        : []),
      dev ? '  Each process restarts when its files change. Stop with Ctrl-C.' : '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
}
