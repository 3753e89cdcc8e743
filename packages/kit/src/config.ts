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

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Validates the environment against `shape`. On failure throws one ConfigError whose message has
 * one line per bad variable, naming it, so a person sees exactly what to fix.
 */
export function loadConfig<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  const parsed = z.object(shape).safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    const reason = issue.code === 'invalid_type' && env[name] === undefined ? 'is required but not set' : issue.message;
    return `${name} ${reason}`;
  });
  throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
}
