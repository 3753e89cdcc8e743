import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import ApolloServerPluginResponseCache from '@apollo/server-plugin-response-cache';
import { eventTypesOf, reachOf, type EventType, type Identity, type Redis, type StreamEvent, type SubgraphName } from '@pathway/kit';
import { RedisKeyValueCache } from './apq-cache.ts';
import type { GatewayContext } from './data-source.ts';

/**
 * Subgraphs whose SDL marks types cacheable (`@cacheControl`): every event they publish may change
 * a cached answer, so it invalidates its tenant's cached responses. A test checks this list
 * against the SDL files, so a new hint cannot go without its invalidation.
 */
export const CACHE_INVALIDATING_SOURCES: readonly SubgraphName[] = ['learning', 'market'];
/** The event types that invalidate: those the kit's event catalog gives those subgraphs. */
export const CACHE_INVALIDATING_EVENT_TYPES: readonly EventType[] = eventTypesOf(...CACHE_INVALIDATING_SOURCES);

const VERSION_KEY = 'pathway:response-cache:version:';
/** The version every event bumps too: answers of system reach span tenants. */
const ALL_TENANTS = '*';

const sorted = (values: readonly string[] | undefined) => [...(values ?? [])].sort();

/**
 * Who the answer may depend on, and nothing more personal. Subgraphs hint only types whose rules
 * depend on tenant, facility, roles, permissions and facility flags (never on the person), so
 * people alike in all of these share an answer; anyone different in any of them gets their own.
 */
export function scopeKey(identity: Identity): string {
  const scope = [
    identity.tenantId,
    identity.facilityId,
    sorted(identity.roles),
    sorted(identity.permissions),
    sorted(identity.featureFlags),
  ];
  return createHash('sha256').update(JSON.stringify(scope)).digest('hex');
}

/**
 * Response caching for what subgraphs mark safe to cache (catalogs, public listings, aggregates):
 * Apollo's response cache over Redis, keyed by the query, its variables, the caller's scope and
 * the invalidation versions of the caller's tenant. Anything without a hint is never cached (the
 * gateway treats a subgraph answer without a Cache-Control max-age as uncacheable), nor are
 * anonymous requests, errors, or responses of a session that must change its password.
 */
export class ResponseCache {
  constructor(private readonly redis: Redis) {}

  plugin(): ApolloServerPlugin<GatewayContext> {
    const cacheable = async ({ contextValue }: GraphQLRequestContext<GatewayContext>) =>
      contextValue.identity !== null && !contextValue.mustChangePassword;
    return ApolloServerPluginResponseCache<GatewayContext>({
      cache: new RedisKeyValueCache(this.redis, 'pathway:response-cache:'),
      // No per-person entries: what is cached is shared within a scope, or not cached at all.
      sessionId: async () => null,
      extraCacheKeyData: async ({ contextValue: { identity } }) =>
        identity ? { scope: scopeKey(identity), versions: await this.versionsFor(identity) } : null,
      shouldReadFromCache: cacheable,
      shouldWriteToCache: cacheable,
    });
  }

  /**
   * Called for every event before it is handed to subscribers, so a follow-up query or a client
   * reacting to the event never reads the answer from before it. Every gateway bumps: the version
   * only has to change, and INCR never goes back.
   */
  async invalidate(event: StreamEvent): Promise<void> {
    if (!CACHE_INVALIDATING_EVENT_TYPES.includes(event.type)) return;
    await this.redis
      .multi()
      .incr(VERSION_KEY + event.tenantId)
      .incr(VERSION_KEY + ALL_TENANTS)
      .exec();
  }

  private async versionsFor(identity: Identity): Promise<(string | null)[]> {
    const tenants = reachOf(identity) === 'system' ? [identity.tenantId, ALL_TENANTS] : [identity.tenantId];
    return this.redis.mget(tenants.map((tenant) => VERSION_KEY + tenant));
  }
}
