import { z } from 'zod';
import { baseEnv, port } from '@pathway/kit';

export const gatewayEnv = {
  ...baseEnv,
  PORT: port.default(4000),
  ACCESS_JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
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
