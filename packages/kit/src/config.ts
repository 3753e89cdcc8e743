import { z } from 'zod';

/** Variables every Pathway process reads. A subgraph or the gateway extends this shape with its own. */
export const baseEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }),
  INTERNAL_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** When set, `/metrics` answers only a scraper sending `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /**
   * On SIGTERM, how long `/readyz` says "shutting down" before the process stops taking requests,
   * so load balancers have taken it out of rotation (a Kubernetes endpoint update takes a few seconds).
   */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(0),
};

export const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'must be a PostgreSQL URL like postgresql://user:password@host:5432/database',
});
export const mongoUrl = z.url({ protocol: /^mongodb(\+srv)?$/, error: 'must be a mongodb:// URL' });
/** Another subgraph's GraphQL URL (http, as inside the deployment). */
export const subgraphUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s):// URL like http://identity:4001/graphql' });
export const port = z.coerce.number().int().min(0).max(65535);

/** Settings that open what production must keep shut (e.g. deliveries to loopback addresses): refused with NODE_ENV=production. */
const DEVELOPMENT_ONLY = new WeakSet<z.core.$ZodType>();

/** Marks a setting as for development and tests only: `loadConfig` refuses it when it is on and NODE_ENV is `production`. */
export function developmentOnly<T extends z.core.$ZodType>(schema: T): T {
  DEVELOPMENT_ONLY.add(schema);
  return schema;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates the environment against `shape`. On failure throws one ConfigError whose message has
 * one line per bad variable, naming it, so a person sees exactly what to fix.
 */
export function loadConfig<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  const parsed = z.object(shape).safeParse(env);
  const notInProduction =
    env.NODE_ENV === 'production'
      ? Object.entries(shape)
          .filter(([name, schema]) => DEVELOPMENT_ONLY.has(schema) && env[name] !== undefined && z.safeParse(schema, env[name]).data)
          .map(([name]) => `${name} is for development and tests only: unset it in production (NODE_ENV=production)`)
      : [];
  if (parsed.success && !notInProduction.length) return parsed.data;
  const lines = (parsed.error?.issues ?? []).map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const reason = issue.code === 'invalid_type' && env[name] === undefined ? 'is required but not set' : issue.message;
    return `${name} ${reason}`;
  });
  lines.push(...notInProduction);
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}
