import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigError, baseEnv, developmentOnly, loadConfig, mongoUrl, port, postgresUrl } from '../src/config.ts';
import { identityEnv } from '../../../subgraphs/identity/src/env.ts';
import { learningEnv } from '../../../subgraphs/learning/src/env.ts';

const good = { REDIS_URL: 'redis://127.0.0.1:6379/3', INTERNAL_JWT_SECRET: 'x'.repeat(32) };

/** The message of the ConfigError loadConfig throws for `env`. */
function failure(shape: z.ZodRawShape, env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(shape, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError, none was thrown');
}

describe('loadConfig', () => {
  it('returns the parsed values with defaults filled in', () => {
    expect(loadConfig(baseEnv, good)).toEqual({ ...good, NODE_ENV: 'development', LOG_LEVEL: 'info', SHUTDOWN_DRAIN_MS: 0 });
    expect(loadConfig({ ...baseEnv, PORT: port }, { ...good, PORT: '4001', NODE_ENV: 'test' })).toMatchObject({
      PORT: 4001,
      NODE_ENV: 'test',
    });
  });

  it('names every bad variable in one error, one part each', () => {
    const message = failure(
      { ...baseEnv, DATABASE_URL: postgresUrl, MONGODB_URL: mongoUrl, PORT: port },
      {
        REDIS_URL: 'http://localhost:6379',
        INTERNAL_JWT_SECRET: 'short',
        DATABASE_URL: 'mysql://db/app',
        MONGODB_URL: 'mongodb://127.0.0.1:27017/x',
        PORT: '70000',
        LOG_LEVEL: 'loud',
      },
    );
    expect(message).toMatch(/^Invalid configuration: /);
    const parts = message.replace(/^Invalid configuration: /, '').split('; ');
    expect(parts.map((p) => p.split(' ')[0]).sort()).toEqual(['DATABASE_URL', 'INTERNAL_JWT_SECRET', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
    expect(message).toContain('REDIS_URL must be a redis:// or rediss:// URL');
    expect(message).toContain('INTERNAL_JWT_SECRET must be at least 32 characters');
    expect(message).toContain('DATABASE_URL must be a PostgreSQL URL');
    expect(message).not.toContain('MONGODB_URL');
  });

  it('says a missing variable is required but not set', () => {
    const message = failure(baseEnv, { INTERNAL_JWT_SECRET: good.INTERNAL_JWT_SECRET });
    expect(message).toBe('Invalid configuration: REDIS_URL is required but not set');
  });

  it('accepts rediss:// and postgres:// spellings', () => {
    expect(() =>
      loadConfig({ ...baseEnv, DATABASE_URL: postgresUrl }, { ...good, REDIS_URL: 'rediss://h:6380', DATABASE_URL: 'postgres://u@h/db' }),
    ).not.toThrow();
  });

  it('does not echo a secret’s value', () => {
    expect(failure(baseEnv, { ...good, INTERNAL_JWT_SECRET: 'hunter2-short' })).not.toContain('hunter2');
  });

  it('refuses development-only settings in production, naming each with the other bad variables', () => {
    const shape = { ...baseEnv, ALLOW_LOOPBACK: developmentOnly(z.stringbool().default(false)), PORT: port.default(4000) };
    expect(loadConfig(shape, { ...good, ALLOW_LOOPBACK: 'true' }).ALLOW_LOOPBACK).toBe(true);
    expect(loadConfig(shape, { ...good, NODE_ENV: 'production', ALLOW_LOOPBACK: 'false' }).ALLOW_LOOPBACK).toBe(false);
    const message = failure(shape, { ...good, NODE_ENV: 'production', ALLOW_LOOPBACK: 'true', PORT: 'abc' });
    expect(message).toContain('ALLOW_LOOPBACK is for development and tests only: unset it in production (NODE_ENV=production)');
    expect(message).toContain('PORT');
  });

  it("refuses identity's and learning's private-network switches in production", () => {
    const identity = { ...good, ACCESS_JWT_SECRET: 'a'.repeat(32), NODE_ENV: 'production' };
    expect(failure({ ...baseEnv, ...identityEnv }, { ...identity, WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' })).toContain(
      'WEBHOOK_ALLOW_PRIVATE_NETWORKS is for development and tests only',
    );
    expect(() => loadConfig({ ...baseEnv, ...identityEnv }, identity)).not.toThrow();
    expect(failure({ ...baseEnv, ...learningEnv }, { ...good, NODE_ENV: 'production', PROVIDER_ALLOW_PRIVATE_NETWORKS: '1' })).toContain(
      'PROVIDER_ALLOW_PRIVATE_NETWORKS is for development and tests only',
    );
  });
});
