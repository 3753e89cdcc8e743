import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PATHWAY_STATE_DIR: path.join(root, '.pathway', 'config-test'),
      ...env,
    },
    encoding: 'utf8',
    timeout: 20_000,
  });
}

describe('start with a bad configuration', () => {
  it('fails fast on a malformed DATABASE_URL with one line naming the variable', () => {
    const result = start({ DATABASE_URL: 'postgres//missing-colon@localhost/db' });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/DATABASE_URL/);
    expect(lines[0]).toMatch(/PostgreSQL URL/);
    expect(result.stdout).not.toMatch(/Pathway is up/);
  });

  it('names each bad variable when several are wrong', () => {
    const result = start({ DATABASE_URL: 'mysql://localhost/db', REDIS_URL: 'localhost:6379' });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/DATABASE_URL .*; REDIS_URL /);
  });

  it('names every bad variable at once, those only start reads too (GATEWAY_PORT, PATHWAY_START_TIMEOUT_MS)', () => {
    const result = start({ GATEWAY_PORT: 'abc', REDIS_URL: 'nope', PATHWAY_START_TIMEOUT_MS: 'soon', PATHWAY_DEMO: 'yes' });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    for (const name of ['REDIS_URL', 'GATEWAY_PORT', 'PATHWAY_START_TIMEOUT_MS', 'PATHWAY_DEMO']) expect(lines[0]).toContain(`${name} `);
    expect(lines[0]).toMatch(/GATEWAY_PORT must be a port number/);
  });
});
