import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import { GraphQLError, print, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Identity, Logger, StreamEvent } from '@pathway/kit';
import type { GatewayContext } from '../data-source.ts';
import type { RequestAuthenticator, Session } from '../identity.ts';
import type { RateLimits } from '../rate-limits.ts';
import { SUBSCRIPTIONS, mayReceive, missingPermissions } from './catalog.ts';
import type { EventHub } from './event-hub.ts';
import { ENTITY_ALIAS, planFollowUp, type FollowUpPlan } from './follow-up.ts';

export interface SubscriptionServerOptions {
  httpServer: http.Server;
  /** The API schema graphql-ws validates against (a copy: Apollo wraps the gateway's own). */
  schema: () => GraphQLSchema | undefined;
  apollo: ApolloServer<GatewayContext>;
  hub: EventHub;
  authenticator: RequestAuthenticator;
  /** Connection attempts count against their address's flood guard, subscriptions against their person. */
  rateLimits: Pick<RateLimits, 'admit' | 'takeSubscription'>;
  /** The client's address, as the HTTP side reads it (behind `TRUST_PROXY`, from X-Forwarded-For). */
  addressOf: (request: http.IncomingMessage) => string;
  maxConnectionsPerUser: number;
  keepAliveMs: number;
  log: Logger;
}

/**
 * Follow-ups in flight, shared by subscribers who would get the same answer: same event, same
 * selection and variables, same person with the same permissions (field rules can depend on who
 * asks, so never across people). Kept briefly, only while subscribers of one event are served.
 */
const sharedFollowUps = new Map<string, Promise<Awaited<ReturnType<ApolloServer<GatewayContext>['executeOperation']>>>>();
const SHARE_FOR_MS = 5_000;

function followUp(
  apollo: ApolloServer<GatewayContext>,
  identity: Identity,
  query: string,
  variables: Record<string, unknown>,
  cursor: string,
) {
  const key = JSON.stringify([cursor, identity.userId, [...identity.permissions].sort(), query, variables]);
  let pending = sharedFollowUps.get(key);
  if (!pending) {
    pending = apollo.executeOperation({ query, variables }, { contextValue: { identity, requestId: randomUUID() } });
    sharedFollowUps.set(key, pending);
    setTimeout(() => sharedFollowUps.delete(key), SHARE_FOR_MS).unref();
  }
  return pending;
}

/** graphql-ws close codes beyond the protocol's own. */
const CLOSE = { tokenExpired: 4401, forbidden: 4403, tooManyConnections: 4429, tooManyRequests: 4429 } as const;
/** WebSocket's "Service Restart": the client should reconnect (to another gateway) and resume `after` its last cursor. */
export const CLOSE_SERVICE_RESTART = 1012;

/** Subscriptions open on this gateway now, for `/metrics`. */
let activeSubscriptions = 0;

interface ConnectionState {
  session: Session;
  clientAddress: string;
  /** What the client sent on connect: a service account's is checked again before each new operation (a revoked key stops there). */
  authorization: string | undefined;
  expiryTimer: NodeJS.Timeout;
}

/** The socket an operation's context belongs to, so a subscription can end its connection. */
const socketOfContext = new WeakMap<GatewayContext, WebSocket>();
const REVOKED = 'The credentials of this connection are no longer valid (revoked, or a rotated key past its overlap).';

/**
 * GraphQL subscriptions over graphql-ws on `/graphql`. Authentication happens on connect (the
 * access token in `connectionParams.authorization`) and again when the token expires (the socket is
 * closed, the client reconnects with a fresh token and `after` its last cursor). A service account's
 * socket is closed (4403) as soon as the account is revoked: at its next operation or next event.
 */
export function serveSubscriptions(opts: SubscriptionServerOptions): {
  close(): Promise<void>;
  stats(): { connections: number; subscriptions: number };
} {
  const wsServer = new WebSocketServer({ server: opts.httpServer, path: '/graphql' });
  const states = new WeakMap<WebSocket, ConnectionState>();
  const perUser = new Map<string, number>();

  // Keep-alive: a peer that misses a ping interval is dropped, freeing its slot.
  const alive = new WeakSet<WebSocket>();
  wsServer.on('connection', (socket) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
  });
  const pinger = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (!alive.has(socket)) socket.terminate();
      else {
        alive.delete(socket);
        socket.ping();
      }
    }
  }, opts.keepAliveMs);
  pinger.unref();

  const server = useServer<Record<string, unknown> | undefined, { socket: WebSocket; request: http.IncomingMessage }>(
    {
      schema: () => {
        const schema = opts.schema();
        if (!schema) throw new Error('gateway schema not loaded yet');
        return schema;
      },
      onConnect: async (ctx) => {
        const clientAddress = opts.addressOf(ctx.extra.request);
        const refusal = await opts.rateLimits.admit(clientAddress);
        if (refusal) {
          ctx.extra.socket.close(CLOSE.tooManyRequests, refusal.message);
          return false;
        }
        const sent = ctx.connectionParams?.authorization;
        const authorization = typeof sent === 'string' ? sent : undefined;
        const session = await opts.authenticator.session(authorization).catch(() => null);
        if (!session || session.mustChangePassword) {
          opts.log.debug('subscription connection refused: no valid access token, or a password to change first');
          return false; // graphql-ws closes with 4403 Forbidden
        }
        const userId = session.identity.userId;
        const open = perUser.get(userId) ?? 0;
        if (open >= opts.maxConnectionsPerUser) {
          ctx.extra.socket.close(
            CLOSE.tooManyConnections,
            `Too many open subscription connections (at most ${opts.maxConnectionsPerUser}).`,
          );
          return false;
        }
        perUser.set(userId, open + 1);
        const socket = ctx.extra.socket;
        const expiryTimer = setTimeout(
          () => socket.close(CLOSE.tokenExpired, 'The access token expired. Reconnect with a fresh token and your last cursor.'),
          Math.max(0, session.expiresAt.getTime() - Date.now()),
        );
        expiryTimer.unref();
        states.set(socket, { session, clientAddress, authorization, expiryTimer });
        return true;
      },
      onSubscribe: async (ctx) => {
        // A service account's key may have been revoked since connect (a person's token is timed above).
        const state = states.get(ctx.extra.socket);
        if (!state?.session.identity.serviceAccount) return;
        const session = await opts.authenticator.session(state.authorization).catch(() => null);
        if (!session) return void ctx.extra.socket.close(CLOSE.forbidden, REVOKED);
        state.session = { ...session, expiresAt: state.session.expiresAt };
      },
      onClose: (ctx) => {
        const state = states.get(ctx.extra.socket);
        if (!state) return;
        clearTimeout(state.expiryTimer);
        states.delete(ctx.extra.socket);
        const userId = state.session.identity.userId;
        const open = (perUser.get(userId) ?? 1) - 1;
        if (open > 0) perUser.set(userId, open);
        else perUser.delete(userId);
      },
      // With its address, a query or mutation sent over the socket counts against its person like an HTTP one.
      context: (ctx): GatewayContext => {
        const state = states.get(ctx.extra.socket);
        const context = { identity: state?.session.identity ?? null, clientAddress: state?.clientAddress, requestId: randomUUID() };
        socketOfContext.set(context, ctx.extra.socket);
        return context;
      },
      execute: async (args) => executeThroughGateway(opts.apollo, args),
      subscribe: async (args) => subscribe(opts, args),
    },
    wsServer,
  );
  return {
    close: async () => {
      clearInterval(pinger);
      // Shutting down: every subscriber is told to reconnect and resume with its cursor; nothing is lost.
      for (const socket of wsServer.clients)
        socket.close(CLOSE_SERVICE_RESTART, 'The gateway is restarting. Reconnect and resume after your last cursor.');
      await server.dispose();
    },
    stats: () => ({ connections: wsServer.clients.size, subscriptions: activeSubscriptions }),
  };
}

/** Queries and mutations sent over the socket run through the gateway like HTTP ones. */
async function executeThroughGateway(apollo: ApolloServer<GatewayContext>, args: ExecutionArgs): Promise<ExecutionResult> {
  const response = await apollo.executeOperation(
    {
      query: print(args.document),
      variables: (args.variableValues ?? undefined) as Record<string, unknown> | undefined,
      operationName: args.operationName ?? undefined,
    },
    { contextValue: args.contextValue as GatewayContext },
  );
  if (response.body.kind !== 'single') return { errors: [new GraphQLError('Incremental delivery is not supported over WebSocket.')] };
  const { data, errors } = response.body.singleResult;
  return {
    data: data as ExecutionResult['data'],
    errors: errors?.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })),
  };
}

/** A subscription refused at its start: the error as the protocol's result. */
const refusal = (error: unknown): ExecutionResult => ({
  errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))],
});

async function subscribe(
  opts: SubscriptionServerOptions,
  args: ExecutionArgs,
): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const context = args.contextValue as GatewayContext;
  if (!context.identity) return { errors: [new GraphQLError('Sign in to subscribe.', { extensions: { code: 'UNAUTHENTICATED' } })] };
  try {
    await opts.rateLimits.takeSubscription(context.identity, context.clientAddress ?? 'unknown');
  } catch (error) {
    return refusal(error);
  }
  const plan = planFollowUp(args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>, SUBSCRIPTIONS);
  // Said at the start rather than never delivering anything: which permission would show events.
  // (Before refusing, the permissions as of now: a role may have gained one since the socket opened.)
  const missing =
    missingPermissions(context.identity, plan.spec).length > 0
      ? missingPermissions(await opts.authenticator.withCurrentPermissions(context.identity), plan.spec)
      : [];
  if (missing.length) {
    const needs = missing.map((key) => `\`${key}\``).join(' or ');
    return {
      errors: [
        new GraphQLError(`You would receive no \`${plan.rootKey}\` events: that needs the permission ${needs}.`, {
          extensions: { code: 'FORBIDDEN', permission: missing[0], permissions: missing },
        }),
      ],
    };
  }
  try {
    await opts.hub.checkCursor(plan.after);
  } catch (error) {
    return refusal(error);
  }
  const abort = new AbortController();
  const socket = socketOfContext.get(context);
  const revoked = () => socket?.close(CLOSE.forbidden, REVOKED);
  const source = deliver(opts, context.identity, plan, (args.variableValues ?? {}) as Record<string, unknown>, abort.signal, revoked);
  activeSubscriptions++;
  const end = () => {
    if (!abort.signal.aborted) activeSubscriptions--;
    abort.abort();
  };
  // Completing a subscription must end it at once, even while it waits for the next event.
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    next: () => source.next(),
    return: (value?: unknown) => {
      end();
      return source.return(value as ExecutionResult);
    },
    throw: (error?: unknown) => {
      end();
      return source.throw(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

async function* deliver(
  opts: SubscriptionServerOptions,
  subscriber: Identity,
  plan: FollowUpPlan,
  variables: Record<string, unknown>,
  signal: AbortSignal,
  revoked: () => void,
): AsyncGenerator<ExecutionResult> {
  for await (const event of opts.hub.events(plan.after, signal)) {
    if (!plan.spec.eventTypes.includes(event.type) || !mayReceive(subscriber, event, plan.spec)) continue;
    if (!(await opts.authenticator.isActive(subscriber))) return revoked();
    const result = await resolveEvent(opts, subscriber, plan, variables, event);
    if (result) yield result;
  }
}

/** The client's selection for one event; null when the entity is outside the subscriber's reach. */
async function resolveEvent(
  opts: SubscriptionServerOptions,
  subscriber: Identity,
  plan: FollowUpPlan,
  variables: Record<string, unknown>,
  event: StreamEvent,
): Promise<ExecutionResult | null> {
  // Permissions as of now: a role change applies to open subscriptions too.
  const identity = await opts.authenticator.withCurrentPermissions(subscriber);
  const response = await followUp(opts.apollo, identity, plan.query, { ...variables, __id: event.entityId }, event.cursor);
  if (response.body.kind !== 'single') return null;
  const { data, errors: followUpErrors } = response.body.singleResult;
  const entity = (data as Record<string, unknown> | null | undefined)?.[ENTITY_ALIAS] ?? null;
  if (!entity) return null; // not visible to this subscriber: they don't learn it happened
  const entityKey = plan.eventFields.find((f) => f.name === plan.spec.entityField)?.key ?? plan.spec.entityField;
  const errors = followUpErrors?.map(
    (e) => new GraphQLError(e.message, { path: [plan.rootKey, entityKey, ...(e.path ?? []).slice(1)], extensions: e.extensions }),
  );
  // Event fields come from the envelope and its payload (as they were when it happened); the entity as it is now.
  const values: Record<string, unknown> = {
    ...event.payload,
    cursor: event.cursor,
    occurredAt: event.occurredAt,
    [plan.spec.entityField]: entity,
  };
  const shaped = Object.fromEntries(
    plan.eventFields.map(({ key, name }) => [key, name === '__typename' ? eventTypeName(opts, plan) : (values[name] ?? null)]),
  );
  return { data: { [plan.rootKey]: shaped }, ...(errors?.length ? { errors } : {}) };
}

function eventTypeName(opts: SubscriptionServerOptions, plan: FollowUpPlan): string | null {
  const field = opts.schema()?.getSubscriptionType()?.getFields()[plan.rootKey];
  return field ? String(field.type).replace(/!$/, '') : null;
}
