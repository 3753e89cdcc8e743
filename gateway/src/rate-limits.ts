import type { ApolloServerPlugin } from '@apollo/server';
import type { IncomingMessage } from 'node:http';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { requestError, sendJson, type Identity, type Logger, type NodeMiddleware, type Redis } from '@pathway/kit';
import type { GatewayContext } from './data-source.ts';

// Limits in Redis, shared by every gateway replica. A facility's tablets usually reach us through
// one address, so limits on a signed-in person are per person, and the per-address limits are
// only a flood guard (every request) and a stricter one for anonymous requests and failed sign-ins.

export interface RateLimitSettings {
  /** Requests per minute one signed-in person may send (weighted, see `weightOf`). */
  perPerson: number;
  /** Requests per minute one address may send without signing in (sign-in, refresh, public reads). */
  anonymousPerAddress: number;
  /** Requests per minute from one address in all: a flood guard, high because facilities share addresses. */
  perAddress: number;
  /** Failed sign-ins one address may make in `loginFailureWindowSeconds` (spraying across accounts). */
  loginFailuresPerAddress: number;
  loginFailureWindowSeconds: number;
  keyPrefix: string;
}

/** Root fields that cost the servers much more than one request: they count this many. */
const WEIGHTS: [RegExp, number][] = [
  [/^(bulkCreateUsers|importStudents)$/, 20],
  [/(Export|Report|Stats|Dashboard)$/, 5],
];

export function weightOf(operation: OperationDefinitionNode): number {
  let weight = 1;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const rule = WEIGHTS.find(([pattern]) => pattern.test(selection.name.value));
    if (rule) weight += rule[1] - 1;
  }
  return weight;
}

const isLogin = (operation: OperationDefinitionNode) =>
  operation.operation === 'mutation' && operation.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'login');

const rateLimited = (what: string, msBeforeNext: number) => {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return requestError('RATE_LIMITED', `${what} Try again in ${seconds} s.`, { retryAfterSeconds: seconds });
};

export class RateLimits {
  private readonly all: RateLimiterAbstract;
  private readonly person: RateLimiterAbstract;
  private readonly anonymous: RateLimiterAbstract;
  private readonly loginFailures: RateLimiterAbstract;

  constructor(
    redis: Redis,
    private readonly settings: RateLimitSettings,
    private readonly log: Logger,
  ) {
    // When Redis cannot answer, each replica limits on its own rather than letting everything through.
    const limiter = (keyPrefix: string, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix,
        points,
        duration,
        insuranceLimiter: new RateLimiterMemory({ points, duration }),
      });
    this.all = limiter(`${settings.keyPrefix}:address`, settings.perAddress, 60);
    this.person = limiter(`${settings.keyPrefix}:person`, settings.perPerson, 60);
    this.anonymous = limiter(`${settings.keyPrefix}:anonymous`, settings.anonymousPerAddress, 60);
    this.loginFailures = limiter(
      `${settings.keyPrefix}:login-failures`,
      settings.loginFailuresPerAddress,
      settings.loginFailureWindowSeconds,
    );
  }

  /**
   * Middleware in front of everything: the per-address flood guard, before the body is read.
   * `addressOf` is the client's address (default: Express's `req.ip`, which trusts proxies as TRUST_PROXY says).
   */
  floodGuard(addressOf: (req: IncomingMessage) => string = expressAddress): NodeMiddleware {
    return (req, res, next) => {
      this.admit(addressOf(req)).then(
        (refusal) => {
          if (!refusal) return next();
          res.setHeader('retry-after', String(refusal.extensions.retryAfterSeconds));
          sendJson(res, 429, {
            errors: [
              { message: refusal.message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: refusal.extensions.retryAfterSeconds } },
            ],
          });
        },
        (error: unknown) => next(error),
      );
    };
  }

  /**
   * The flood guard's count for one address: every HTTP request, and every WebSocket connection
   * attempt (an upgrade never reaches the Express middleware). Null when admitted, else the refusal.
   */
  async admit(address: string): Promise<ReturnType<typeof rateLimited> | null> {
    try {
      await this.all.consume(address);
      return null;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) return rateLimited('Too many requests from your network.', outcome.msBeforeNext);
      throw outcome;
    }
  }

  /** A request outside GraphQL (an upload) costs its person `weight` requests of their allowance. */
  async takeRequest(identity: Identity, weight = 1): Promise<void> {
    await this.take({ identity, clientAddress: 'unknown' }, weight);
  }

  /** A subscription started over WebSocket costs its person one request, like an HTTP request would. */
  async takeSubscription(identity: Identity, clientAddress: string): Promise<void> {
    await this.take({ identity, clientAddress }, 1);
  }

  /** Takes `weight` from the caller's allowance: the person when signed in, else their address. */
  private async take(context: { identity: Identity | null; clientAddress: string }, weight: number): Promise<void> {
    const [limiter, key, what] = context.identity
      ? [this.person, context.identity.userId, 'You are sending requests too fast.']
      : [this.anonymous, context.clientAddress, 'Too many requests without signing in from your network.'];
    try {
      await limiter.consume(key, weight);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) throw rateLimited(what, outcome.msBeforeNext);
      throw outcome;
    }
  }

  /**
   * A sign-in outside GraphQL (the OAuth token endpoint): counted against the address's failed
   * sign-ins before the attempt, like `login`; call `succeeded` to give the point back.
   */
  async signInAttempt(clientAddress: string): Promise<{ succeeded(): Promise<void> }> {
    await this.take({ identity: null, clientAddress }, 1);
    await this.countSignIn(clientAddress);
    return { succeeded: () => this.returnSignIn(clientAddress) };
  }

  /**
   * Counted before the attempt, so a burst of concurrent guesses cannot all slip through; a sign-in
   * that succeeds gives its point back (`returnSignIn`), so only failures add up.
   */
  private async countSignIn(clientAddress: string): Promise<void> {
    try {
      await this.loginFailures.consume(clientAddress);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) throw rateLimited('Too many failed sign-ins from your network.', outcome.msBeforeNext);
      throw outcome;
    }
  }

  private async returnSignIn(clientAddress: string): Promise<void> {
    await this.loginFailures.reward(clientAddress, 1).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not return a sign-in attempt to its allowance');
    });
  }

  plugin(): ApolloServerPlugin<GatewayContext> {
    return {
      requestDidStart: async () => {
        let login = false;
        return {
          didResolveOperation: async ({ operation, contextValue }) => {
            const { clientAddress } = contextValue;
            if (clientAddress === undefined || !operation) return;
            await this.take({ ...contextValue, clientAddress }, weightOf(operation));
            login = isLogin(operation);
            if (login) await this.countSignIn(clientAddress);
          },
          willSendResponse: async ({ response, contextValue }) => {
            if (!login || !contextValue.clientAddress || response.body.kind !== 'single') return;
            if (response.body.singleResult.errors?.some((e) => e.extensions?.code === 'RATE_LIMITED')) return;
            const failed = response.body.singleResult.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
            if (!failed) await this.returnSignIn(contextValue.clientAddress);
          },
        };
      },
    };
  }
}

const expressAddress = (req: IncomingMessage) => (req as { ip?: string }).ip ?? 'unknown';
