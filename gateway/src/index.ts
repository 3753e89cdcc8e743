import http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import express from 'express';
import proxyAddress from 'proxy-addr';
import { buildSchema, printSchema, type GraphQLSchema } from 'graphql';
import {
  FacilityFlagDirectory,
  bodyErrorHandler,
  errorFormatter,
  PermissionDirectory,
  appError,
  connectRedis,
  loadConfig,
  readJsonBody,
  guardInput,
  operationNamePlugin,
  retryAfterPlugin,
  runProcess,
  EndedSessions,
  ServiceAccountDirectory,
  startTracing,
  requestContext,
  traceRequests,
  currentRequestId,
  acceptRequestId,
  answerGraphQL,
  Routes,
  withMiddleware,
} from '@pathway/kit';
import { admission } from './admission.ts';
import type { GatewayContext } from './data-source.ts';
import { gatewayEnv } from './env.ts';
import { serveGraphiQL } from './graphiql.ts';
import { RequestAuthenticator } from './identity.ts';
import { mustChangePasswordPlugin } from './must-change-password.ts';
import { RedisKeyValueCache } from './apq-cache.ts';
import { ResponseCache } from './response-cache.ts';
import { operationLimits } from './operation-limits.ts';
import { RateLimits } from './rate-limits.ts';
import { serveTokenEndpoint } from './oauth.ts';
import { serveUploads } from './uploads.ts';
import { fillRegisteredDocuments, loadTrustedDocuments, trustedDocumentsPlugin } from './trusted-documents.ts';
import { EventHub } from './subscriptions/event-hub.ts';
import { serveSubscriptions } from './subscriptions/ws-server.ts';
import { supergraphSource } from './operations/supergraph-source.ts';
import { ObservedDataSource } from './operations/observed-data-source.ts';
import { observabilityPlugins, serveOperations } from './operations/serve.ts';

void runProcess('gateway', async (log) => {
  const config = loadConfig(gatewayEnv);
  const tracing = startTracing('gateway');
  const overrides: Record<string, string | undefined> = {
    identity: config.IDENTITY_URL,
    campus: config.CAMPUS_URL,
    learning: config.LEARNING_URL,
    behavior: config.BEHAVIOR_URL,
    market: config.MARKET_URL,
  };
  // Every request sends its rate-limit counts and session check here: concurrent requests share writes.
  const redis = connectRedis(config.REDIS_URL, 'gateway', { autoPipelining: true });
  const subscriber = connectRedis(config.REDIS_URL, 'gateway-rbac');
  const authenticator = new RequestAuthenticator(
    config.ACCESS_JWT_SECRET,
    new PermissionDirectory(redis, subscriber),
    new FacilityFlagDirectory(redis),
    new ServiceAccountDirectory(redis),
    new EndedSessions(redis),
  );

  // Reloaded when the file (or SUPERGRAPH_URL) changes; a supergraph that fails to load is refused (operations/).
  const supergraph = supergraphSource({ path: config.SUPERGRAPH_PATH, url: config.SUPERGRAPH_URL, pollMs: config.SUPERGRAPH_POLL_MS, log });
  const gateway = new ApolloGateway({
    supergraphSdl: supergraph.manager,
    buildService: ({ name, url }) => new ObservedDataSource(overrides[name] ?? url ?? '', config.INTERNAL_JWT_SECRET, name),
  });
  const trustedDocuments = loadTrustedDocuments();
  const responseCache = config.RESPONSE_CACHE === 'on' ? new ResponseCache(redis) : null;
  const rateLimits = new RateLimits(
    redis,
    {
      perPerson: config.RATE_LIMIT_PER_PERSON,
      anonymousPerAddress: config.RATE_LIMIT_ANONYMOUS_PER_ADDRESS,
      perAddress: config.RATE_LIMIT_PER_ADDRESS,
      loginFailuresPerAddress: config.LOGIN_FAILURES_PER_ADDRESS,
      loginFailureWindowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
      keyPrefix: config.RATE_LIMIT_KEY_PREFIX,
    },
    log,
  );
  const app = express();
  app.set('trust proxy', config.TRUST_PROXY);
  // Answers are `no-store`: an ETag (a SHA-1 of every response body) would only cost CPU.
  app.set('etag', false);
  // The client's address as Express's `req.ip` gives it: proxies trusted as TRUST_PROXY says.
  const addressOf = (request: http.IncomingMessage) =>
    proxyAddress(request, app.get('trust proxy fn') as Parameters<typeof proxyAddress>[1]) || 'unknown';
  // POST /graphql, the apps' every operation, is answered on Node's own server; the rest by Express.
  const routes = new Routes(log, app);
  const httpServer = http.createServer(routes.listener);
  const limits = operationLimits<GatewayContext>();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: limits.validationRules,
    // One operation per request: a batch of a thousand logins is not a way around rate limits.
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    persistedQueries: { cache: new RedisKeyValueCache(redis), ttl: config.APQ_TTL_SECONDS },
    formatError: errorFormatter(log),
    plugins: [
      // First: an operationName that names nothing is refused before the other plugins look at the operation.
      operationNamePlugin(),
      ...limits.plugins,
      ...observabilityPlugins(responseCache !== null, log),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      trustedDocumentsPlugin(trustedDocuments, config.TRUSTED_DOCUMENTS),
      mustChangePasswordPlugin(),
      rateLimits.plugin(),
      // Text with a NUL character is the client's mistake, refused before any subgraph sees it.
      guardInput(),
      // A SERVICE_UNAVAILABLE answer (a subgraph's database was saturated) tells HTTP clients when to retry.
      retryAfterPlugin(),
      // Answers are per caller: tell HTTP caches nothing (the gateway's own cache is keyed by scope).
      ApolloServerPluginCacheControl({ calculateHttpHeaders: false }),
      ...(responseCache ? [responseCache.plugin()] : []),
      {
        // The gateway executes subscriptions only over WebSocket; say so instead of an internal error.
        async requestDidStart() {
          return {
            async didResolveOperation({ operation }) {
              if (operation?.operation === 'subscription')
                throw appError('BAD_USER_INPUT', 'Subscriptions are served over WebSocket (graphql-ws protocol) at this same URL.');
            },
          };
        },
      },
    ],
  });
  // graphql-ws validates against its own copy: Apollo Server wraps the gateway's schema object.
  let wsSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    wsSchema = buildSchema(printSchema(apiSchema));
  });
  await apollo.start();
  const hub = new EventHub(
    redis,
    connectRedis(config.REDIS_URL, 'gateway-events'),
    (error) => log.warn({ err: error }, 'event stream read failed; retrying'),
    (event) => responseCache?.invalidate(event) ?? Promise.resolve(),
  );
  await hub.start();
  const subscriptions = serveSubscriptions({
    httpServer,
    schema: () => wsSchema,
    apollo,
    hub,
    authenticator,
    rateLimits,
    addressOf,
    maxConnectionsPerUser: config.MAX_WS_CONNECTIONS_PER_USER,
    keepAliveMs: config.WS_KEEPALIVE_MS,
    log,
  });

  app.get('/health', (_req, res) => void res.json({ status: 'ok' }));
  const operations = serveOperations(app, { config, log, redis, supergraph, overrides, hub, subscriptions });
  serveGraphiQL(app);
  serveTokenEndpoint(app, { authenticator, rateLimits, ttlSeconds: config.OAUTH_ACCESS_TOKEN_TTL_SECONDS });
  serveUploads(app, { authenticator, rateLimits, redis, log });
  const graphql = withMiddleware(
    [
      rateLimits.floodGuard(addressOf),
      admission({ maxInFlight: config.GATEWAY_MAX_IN_FLIGHT, maxWaitMs: config.GATEWAY_QUEUE_WAIT_MS }),
      readJsonBody(),
      // After the body is read: its stream events would run outside the request's async context.
      requestContext(),
      traceRequests(),
      (_req, res, next) => {
        res.setHeader('cache-control', 'private, no-store');
        next();
      },
      fillRegisteredDocuments(trustedDocuments),
    ],
    answerGraphQL(apollo, async (req) => {
      const session = await authenticator.session(req.headers.authorization);
      return {
        identity: session?.identity ?? null,
        mustChangePassword: session?.mustChangePassword ?? false,
        requestId: currentRequestId() ?? acceptRequestId(undefined),
        clientAddress: addressOf(req),
      };
    }),
    log,
  );
  routes.post('/graphql', graphql);
  // GET /graphql (an app's persisted query by hash, after GraphiQL's page for browsers) through Express.
  app.use('/graphql', graphql);
  app.use(bodyErrorHandler(log));
  await new Promise<void>((resolve) => httpServer.listen(config.PORT, resolve));
  log.info(`gateway ready at http://localhost:${config.PORT}/graphql`);
  // Not ready first, then subscribers told to reconnect, then in-flight requests finish (drain plugin).
  return [
    operations.drain,
    () => subscriptions.close(),
    () => apollo.stop(),
    () => hub.stop(),
    () => redis.quit(),
    () => subscriber.quit(),
    () => tracing.stop(),
  ];
});
