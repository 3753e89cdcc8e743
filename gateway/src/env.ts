import { z } from 'zod';
import { baseEnv, port } from '@pathway/kit';

export const gatewayEnv = {
  ...baseEnv,
  PORT: port.default(4000),
  ACCESS_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /**
   * Operations this gateway runs at once (admission.ts); later ones wait their turn. About what the
   * subgraphs' pools serve together: more only moves the queue into their connection pools.
   */
  GATEWAY_MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(24),
  /** The longest an operation waits for its turn before a 503 SERVICE_UNAVAILABLE (nothing done). */
  GATEWAY_QUEUE_WAIT_MS: z.coerce.number().int().min(1).default(30_000),
  /** Lifetime of the access tokens `POST /oauth/token` issues to service accounts (client credentials). */
  OAUTH_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /** Open subscription sockets one person may hold on this gateway. */
  MAX_WS_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).default(10),
  /** Ping interval for subscription sockets; a peer that misses one is dropped. */
  WS_KEEPALIVE_MS: z.coerce.number().int().min(100).default(15_000),
  /** `enforce`: only registered app operations run (callers with gateway.operation.freeform excepted). */
  TRUSTED_DOCUMENTS: z.enum(['off', 'enforce']).default('off'),
  /** How long an automatic persisted query stays registered. */
  APQ_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  /** `on`: answers subgraphs mark cacheable (catalogs, listings, aggregates) are cached in Redis by scope. */
  RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
  /** Rate limits (rate-limits.ts): weighted requests per minute per signed-in person. */
  RATE_LIMIT_PER_PERSON: z.coerce.number().int().min(1).default(600),
  /** Requests per minute from one address without signing in (sign-in, refresh). */
  RATE_LIMIT_ANONYMOUS_PER_ADDRESS: z.coerce.number().int().min(1).default(300),
  /** Requests per minute from one address in all (a flood guard; a facility's devices share one address). */
  RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(6_000),
  /** Failed sign-ins one address may make per LOGIN_FAILURE_WINDOW_SECONDS. */
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(600),
  /** Where the counters live in Redis: deployments (or tests) sharing one Redis keep apart by it. */
  RATE_LIMIT_KEY_PREFIX: z.string().min(1).default('pathway:rl'),
  /**
   * Express's `trust proxy`: which proxies' X-Forwarded-For to believe for the client's address
   * (`false`, `true`, a hop count, or addresses/subnets such as `loopback, 10.0.0.0/8`).
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v) => (v === 'false' ? false : v === 'true' ? true : /^\d+$/.test(v) ? Number(v) : v)),
  /** Where the composed supergraph is read from. */
  SUPERGRAPH_PATH: z.string().default(new URL('../../schema/supergraph.graphql', import.meta.url).pathname),
  /** When set, the supergraph is fetched from this URL instead of the file. */
  SUPERGRAPH_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** How often the supergraph file (or URL) is looked at for a new version, reloaded without downtime. */
  SUPERGRAPH_POLL_MS: z.coerce.number().int().min(100).default(5_000),
  /** Subgraph URLs default to those in the supergraph; these override them (e.g. in docker-compose). */
  IDENTITY_URL: z.url().optional(),
  CAMPUS_URL: z.url().optional(),
  LEARNING_URL: z.url().optional(),
  BEHAVIOR_URL: z.url().optional(),
  MARKET_URL: z.url().optional(),
};
