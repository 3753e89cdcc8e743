import http from 'node:http';
import { readFileSync } from 'node:fs';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { BREAK, parse, visit, type DocumentNode } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { ConfigError } from './config.ts';
import { requestDbOf, type ScopedDb } from './db.ts';
import { errorFormatter, requestError } from './errors.ts';
import { answerGraphQL } from './graphql-http.ts';
import { Routes, pathOf, readJsonBody, withMiddleware } from './http.ts';
import { guardInput } from './input-guard.ts';
import { operationNamePlugin } from './operation-name.ts';
import { smallCountMiddleware, smallCountThreshold } from './small-counts.ts';
import { serveHealth, type ReadinessCheck } from './health.ts';
import { metricsHandler, metricsPlugin } from './metrics.ts';
import { acceptRequestId, currentRequestId, requestContext } from './request-context.ts';
import { traceRequests, tracingPlugin } from './tracing.ts';
import type { EventPublisher } from './events.ts';
import { IDENTITY_HEADER, verifyIdentity, type Identity } from './identity.ts';
import type { Logger } from './logger.ts';
import { buildShield, type RuleTree } from './permissions.ts';
import { LOOKUP_PATH, lookupHandler, References, type Lookups, type ReferenceUrls } from './references.ts';

/**
 * A subgraph's resolver map: its generated `Resolvers` type (`src/generated/graphql.ts`) is what
 * checks it, field by field, against the SDL; the kit only hands it to `buildSubgraphSchema`.
 */
export type SubgraphResolvers = object;

/** What every subgraph's context starts from. Subgraphs add their data access and loaders to it. */
export interface BaseContext {
  identity: Identity | null;
  requestId: string;
  log: Logger;
  /** Lookups of the people and facilities a write names, made as this request's caller (references.ts). */
  references: References;
}

/**
 * A context as a resolver behind a rule that requires a signed-in caller sees it. graphql-shield
 * (fallback: deny) runs before every resolver, and every rule but `allow` refuses anonymous callers,
 * so only public fields (login, refresh, federation's reference resolvers) may meet `identity: null`:
 * those type their context as the wider request context.
 */
export type Authed<C extends BaseContext> = C & { identity: Identity };

/** The usual subgraph context: the request's scoped database, its loaders, the event publisher. */
export interface DataContext<Tx, L> extends BaseContext {
  /** This request's database: every `run` is a transaction scoped to the caller (Row-Level Security). */
  db: ScopedDb<Tx>;
  loaders: L;
  /** A fresh set of this request's loaders (kit loaders.ts `freshReadsAfterWrites` swaps them in after every mutation). */
  makeLoaders(): L;
  events: EventPublisher;
}

export interface SubgraphDefinition<C extends BaseContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers;
  permissions: RuleTree;
  /** Called once per request: add per-request loaders and data access to the base context. */
  context(base: BaseContext): C | Promise<C>;
  /** The dependencies (database, migrations, Redis, Mongo) `/readyz` checks. */
  readiness?(): readonly ReadinessCheck[];
  /** The reference lookups this subgraph answers (`POST /internal/lookup/<kind>`). */
  lookups?: Lookups;
}

export interface ServeOptions {
  port: number;
  host?: string;
  internalSecret: string;
  log: Logger;
  /** The owners of people, facilities and caseloads (default: the local ports 4001, 4002, 4004). */
  referenceUrls?: ReferenceUrls;
  /** `/metrics` answers only a scraper sending this bearer token (kit metrics.ts). */
  metricsToken?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  /** `/readyz` answers 503 from now on (shutting down), while requests are still served. */
  drain(): void;
  stop(): Promise<void>;
}

/** The subgraph's SDL, read from `schema/<name>.graphql` at the repository root, the file composition reads too. */
export function readSubgraphSdl(name: string): DocumentNode {
  return parse(readFileSync(new URL(`../../../schema/${name}.graphql`, import.meta.url), 'utf8'));
}

/**
 * Whether to serve without graphql-shield: only for the test that proves Row-Level Security and the
 * access filters hold on their own (test/tenant-isolation-without-shield), and only under NODE_ENV=test,
 * so no deployment can switch its permissions off.
 */
function withoutShield(): boolean {
  if (process.env.PATHWAY_TEST_WITHOUT_SHIELD !== '1') return false;
  if (process.env.NODE_ENV !== 'test')
    throw new ConfigError('Invalid configuration: PATHWAY_TEST_WITHOUT_SHIELD is allowed only with NODE_ENV=test');
  return true;
}

/**
 * Serves one subgraph over HTTP at `/graphql`, with graphql-shield wrapped around its schema. The
 * identity comes only from the gateway's signed header: a request without it is anonymous (public
 * fields only), and one with a header that fails verification is refused outright.
 */
export async function serveSubgraph<C extends BaseContext>(def: SubgraphDefinition<C>, opts: ServeOptions): Promise<RunningServer> {
  const base = buildSubgraphSchema([{ typeDefs: def.typeDefs, resolvers: def.resolvers as GraphQLResolverMap<C> }]);
  const counts = smallCountMiddleware(base, smallCountThreshold());
  const schema = withoutShield() ? applyMiddleware(base, counts) : applyMiddleware(base, buildShield(def.permissions), counts);
  const log = opts.log;
  const routes = new Routes(log);
  const httpServer = http.createServer(routes.listener);
  const apollo = new ApolloServer<C>({
    schema,
    includeStacktraceInErrorResponses: false,
    formatError: errorFormatter(log),
    plugins: [
      operationNamePlugin(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // Without hints every answer is uncacheable, and the gateway reads a missing Cache-Control as it
      // read `no-store`; without the plugin Apollo wraps no field resolver (a cost on every field).
      ...(hintsCaching(def.typeDefs) ? [] : [ApolloServerPluginCacheControlDisabled()]),
      guardInput(),
      metricsPlugin(log),
      tracingPlugin(),
      readScopePlugin(),
    ],
  });
  await apollo.start();

  const health = serveHealth(routes, def.name, () => def.readiness?.() ?? [], log);
  // The older name of the readiness probe, kept for deployments that still ask for it.
  routes.get('/health', (_req, res) => void res.writeHead(307, { location: '/readyz', 'content-length': 0 }).end());
  routes.get('/metrics', metricsHandler(opts.metricsToken));
  // The request context starts after the body is read: its stream events would run outside it.
  const inRequest = [readJsonBody(), requestContext(), traceRequests()];
  const graphql = withMiddleware(
    inRequest,
    answerGraphQL(apollo, async (req) => {
      // Log lines name the request by themselves (kit logger.ts reads the request context).
      const requestId = currentRequestId() ?? acceptRequestId(undefined);
      const header = firstHeader(req.headers[IDENTITY_HEADER]);
      const identity = await identityFromHeader(header, opts.internalSecret);
      const references = new References(opts.referenceUrls ?? LOCAL_OWNERS, identity ? header! : null, log);
      return def.context({ identity, requestId, log, references });
    }),
    log,
  );
  routes.get('/graphql', graphql).post('/graphql', graphql);
  if (def.lookups) {
    const lookup = lookupHandler(def.lookups, opts.internalSecret, log);
    routes.postUnder(
      `${LOOKUP_PATH}/`,
      withMiddleware(inRequest, (req, res) => lookup(pathOf(req.url).slice(LOOKUP_PATH.length + 1), req, res), log),
    );
  }

  await new Promise<void>((resolve) => httpServer.listen(opts.port, opts.host ?? '0.0.0.0', resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  log.info({ port }, `${def.name} subgraph ready at http://localhost:${port}/graphql`);
  return { url: `http://localhost:${port}/graphql`, port, drain: health.drain, stop: () => apollo.stop() };
}

/**
 * A query operation's reads share one connection and scope setting per request (kit db.ts, `read`),
 * given back once the answer is complete; a mutation's reads take a connection each, so a request
 * never holds a read connection while it waits for a write connection (which a full pool could not give).
 */
function readScopePlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === 'query') requestDbOf(contextValue)?.shareReads();
        },
        async willSendResponse({ contextValue }) {
          await requestDbOf(contextValue)?.end();
        },
      };
    },
  };
}

/** Whether the SDL uses `@cacheControl` anywhere (learning's and market's do). */
function hintsCaching(typeDefs: DocumentNode): boolean {
  let found = false;
  visit(typeDefs, {
    Directive(node) {
      if (node.name.value !== 'cacheControl') return undefined;
      found = true;
      return BREAK;
    },
  });
  return found;
}

const LOCAL_OWNERS: ReferenceUrls = {
  identity: 'http://localhost:4001/graphql',
  campus: 'http://localhost:4002/graphql',
  behavior: 'http://localhost:4004/graphql',
};

const firstHeader = (header: string | string[] | undefined) => (Array.isArray(header) ? (header[0] ?? '') : header);

async function identityFromHeader(header: string | undefined, secret: string): Promise<Identity | null> {
  if (header === undefined) return null;
  try {
    return await verifyIdentity(header, secret);
  } catch {
    throw requestError('UNAUTHENTICATED', 'The request identity is not valid. Send requests through the Pathway gateway.');
  }
}
