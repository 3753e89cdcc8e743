import type { PrismaPg } from '@prisma/adapter-pg';
import type { z } from 'zod';
import { baseEnv, loadConfig, mongoUrl, port, postgresUrl, subgraphUrl } from './config.ts';
import { databaseEnv, setReadScope, transactionOptions } from './db.ts';
import { pooledPgAdapter } from './pg-pool.ts';
import { createEventPublisher, type EventPublisher } from './events.ts';
import { documentOutbox } from './document-outbox.ts';
import { Jobs, type BackgroundWorker, type JobDefinitions, type JobMap, type NoJobs } from './jobs.ts';
import { OutboxRelay, postgresOutbox } from './outbox.ts';
import { runProcess } from './lifecycle.ts';
import { subgraphMetrics, subgraphReadiness } from './subgraph-ops.ts';
import { startTracing } from './tracing.ts';
import type { Logger } from './logger.ts';
import { connectMongo, type MongoConnection } from './mongo.ts';
import type { RuleTree } from './permissions.ts';
import type { Lookups } from './references.ts';
import { connectRedis, type Redis } from './redis.ts';
import { readSubgraphSdl, serveSubgraph, type BaseContext, type RunningServer, type SubgraphResolvers } from './server.ts';

export const subgraphEnv = {
  ...baseEnv,
  DATABASE_URL: postgresUrl,
  ...databaseEnv,
  MONGODB_URL: mongoUrl,
  PORT: port,
  // The owners of people, facilities and caseloads, for the reference lookups (kit references.ts).
  IDENTITY_URL: subgraphUrl.default('http://localhost:4001/graphql'),
  CAMPUS_URL: subgraphUrl.default('http://localhost:4002/graphql'),
  BEHAVIOR_URL: subgraphUrl.default('http://localhost:4004/graphql'),
};
/** The extra environment of a subgraph that reads none beyond the common variables. */
export type NoExtraEnv = Record<never, z.ZodType>;
/** The validated environment of a subgraph: the common variables plus its own (`E`). */
export type SubgraphConfig<E extends z.ZodRawShape = NoExtraEnv> = z.infer<z.ZodObject<typeof subgraphEnv>> & z.infer<z.ZodObject<E>>;

interface PrismaLike {
  $disconnect(): Promise<void>;
  $queryRawUnsafe(query: string): Promise<unknown>;
}

/** The process-wide connections a subgraph's data access is built on. */
export interface SubgraphDeps<P, E extends z.ZodRawShape = NoExtraEnv, M extends JobMap = NoJobs> {
  prisma: P;
  mongo: MongoConnection;
  redis: Redis;
  events: EventPublisher;
  /** The subgraph's job queue: `jobs.add(name, payload)` for the jobs its spec defines. */
  jobs: Jobs<M>;
  config: SubgraphConfig<E>;
  log: Logger;
}

export interface SubgraphSpec<
  P extends PrismaLike,
  C extends BaseContext,
  E extends z.ZodRawShape = NoExtraEnv,
  M extends JobMap = NoJobs,
> {
  name: string;
  /** Variables this subgraph reads beyond the common ones. */
  env?: E;
  /** The subgraph's Prisma client on `adapter`, with the kit's `transactionOptions` as its transactions' defaults. */
  prisma(adapter: PrismaPg, transactions: ReturnType<typeof transactionOptions>): P;
  /** The subgraph's generated `Resolvers` map. */
  resolvers: SubgraphResolvers;
  permissions: RuleTree;
  context(base: BaseContext, deps: SubgraphDeps<P, E, M>): C;
  /**
   * Collections of the subgraph's Mongo database whose documents carry events waiting to be
   * published (`events.pending`), for the relay to move to the stream.
   */
  documentOutboxes?: readonly string[];
  /** The reference lookups this subgraph answers for the others (identity: people; campus: facilities; behavior: caseloads). */
  lookups?(deps: SubgraphDeps<P, E, M>): Lookups;
  /** Work to do once connected, before serving (e.g. identity publishes its permission directory). */
  onStart?(deps: SubgraphDeps<P, E, M>): Promise<void>;
  /** The subgraph's background jobs by name (see the kit's jobs.ts); run, and scheduled, once the server is serving. */
  jobs?(deps: SubgraphDeps<P, E, M>): JobDefinitions<M>;
  /** Long-running loops beside the server (e.g. a stream consumer): started once serving, stopped first on shutdown. */
  workers?(deps: SubgraphDeps<P, E, M>): BackgroundWorker[];
}

/** Connects a subgraph's Postgres, Mongo and Redis and serves it; the caller owns shutdown. */
export async function startSubgraph<P extends PrismaLike, C extends BaseContext, E extends z.ZodRawShape, M extends JobMap>(
  spec: SubgraphSpec<P, C, E, M>,
  config: SubgraphConfig<E>,
  log: Logger,
): Promise<{ server: RunningServer; deps: SubgraphDeps<P, E, M>; stop(): Promise<void> }> {
  const { adapter, pool } = pooledPgAdapter(config.DATABASE_URL, spec.name, config.DATABASE_POOL_SIZE, config.DATABASE_TX_MAX_WAIT_MS);
  const prisma = spec.prisma(adapter, transactionOptions(config));
  setReadScope(config.DATABASE_READ_SCOPE);
  const redis = connectRedis(config.REDIS_URL, spec.name);
  const mongo = await connectMongo(config.MONGODB_URL, `pathway_${spec.name}`);
  // Every Prisma client has interactive transactions and raw queries; PrismaLike only names what the kit itself calls.
  const outbox = postgresOutbox(prisma as unknown as Parameters<typeof postgresOutbox>[0]);
  const documentOutboxes = (spec.documentOutboxes ?? []).map((collection) => documentOutbox(mongo.db, collection));
  for (const place of documentOutboxes) await place.ensureIndex();
  const relay = new OutboxRelay(redis, spec.name, [outbox, ...documentOutboxes], log);
  const jobs = new Jobs<M>({ redisUrl: config.REDIS_URL, subgraph: spec.name, log });
  const deps: SubgraphDeps<P, E, M> = {
    prisma,
    mongo,
    redis,
    events: createEventPublisher(spec.name, () => relay.kick()),
    jobs,
    config,
    log,
  };
  if (spec.jobs) jobs.define(spec.jobs(deps));
  await spec.onStart?.(deps);
  relay.start();
  const server = await serveSubgraph(
    {
      name: spec.name,
      typeDefs: readSubgraphSdl(spec.name),
      resolvers: spec.resolvers,
      permissions: spec.permissions,
      context: (base) => spec.context(base, deps),
      readiness: () => subgraphReadiness(spec.name, prisma, redis, mongo),
      lookups: spec.lookups?.(deps),
    },
    {
      port: config.PORT,
      internalSecret: config.INTERNAL_JWT_SECRET,
      log,
      referenceUrls: { identity: config.IDENTITY_URL, campus: config.CAMPUS_URL, behavior: config.BEHAVIOR_URL },
      metricsToken: config.METRICS_TOKEN,
    },
  );
  subgraphMetrics(spec.name, pool, [outbox, ...documentOutboxes]);
  jobs.measure();
  await jobs.start();
  const workers = spec.workers?.(deps) ?? [];
  for (const worker of workers) await worker.start();
  const stop = async () => {
    // Background work first (running jobs finish or go back to the queue), then requests; the queue
    // stays open until the server has stopped, since a request may still add a job.
    for (const worker of workers) await worker.stop();
    await jobs.stopWorking();
    await server.stop();
    await jobs.close();
    await relay.stop();
    await Promise.allSettled([prisma.$disconnect(), mongo.close(), redis.quit()]);
  };
  return { server, deps, stop };
}

/** The whole of a subgraph's `index.ts`: validate config, connect, serve, stop cleanly on signals. */
export function runSubgraph<P extends PrismaLike, C extends BaseContext, E extends z.ZodRawShape = NoExtraEnv, M extends JobMap = NoJobs>(
  spec: SubgraphSpec<P, C, E, M>,
): void {
  void runProcess(spec.name, async (log) => {
    const config = loadConfig({ ...subgraphEnv, ...(spec.env ?? ({} as E)) }) as SubgraphConfig<E>;
    const tracing = startTracing(spec.name);
    const { server, stop } = await startSubgraph(spec, config, log);
    // Not ready first (load balancers stop sending), then the in-flight requests and jobs finish.
    const drain = async () => {
      server.drain();
      await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_MS));
    };
    return [drain, stop, () => tracing.stop()];
  });
}
