import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { inject } from 'vitest';
import { freePort } from '../../scripts/stack.ts';
import { TEST_RATE_LIMITS } from './rate-limits.ts';

export interface ExtraGateway {
  url: string;
  process: ChildProcess;
  stop(): void;
}

/** Another gateway process over the test stack's subgraphs and Redis (a second instance, or other settings). */
export async function startExtraGateway(env: Record<string, string> = {}): Promise<ExtraGateway> {
  const port = await freePort();
  const subgraphs = Object.entries(inject('subgraphUrls')).map(([name, url]) => [`${name.toUpperCase()}_URL`, url]);
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/index.ts'], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      REDIS_URL: inject('redisUrl'),
      INTERNAL_JWT_SECRET: inject('secrets').INTERNAL_JWT_SECRET,
      ACCESS_JWT_SECRET: inject('secrets').ACCESS_JWT_SECRET,
      LOG_LEVEL: 'warn',
      ...TEST_RATE_LIMITS,
      ...Object.fromEntries(subgraphs),
      ...env,
    },
    stdio: 'ignore',
  });
  for (let i = 0; i < 300; i++) {
    if (
      await fetch(`http://localhost:${port}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (child.exitCode !== null) throw new Error(`extra gateway exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: `http://localhost:${port}/graphql`, process: child, stop: () => void child.kill('SIGTERM') };
}
