import { createHash } from 'node:crypto';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import ApolloServerPluginResponseCache from '@apollo/server-plugin-response-cache';
import { Kind, type OperationDefinitionNode } from 'graphql';
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

/**
 * The root query fields a subgraph may answer cacheably: those whose SDL hint (on the field, else on
 * the type it returns) has a max-age. Any other root field is answered without one, which makes the
 * whole answer uncacheable. A test derives this list from the SDL files.
 */
export const CACHEABLE_QUERY_FIELDS: ReadonlySet<string> = new Set([
  'course',
  'courses',
  'marketStats',
  'properties',
  'providerPlatform',
  'providerPlatforms',
]);

/**
 * Whether the answer to `operation` could be cached at all: a query none of whose root fields is
 * outside CACHEABLE_QUERY_FIELDS (introspection fields and fragments prove nothing and count as
 * possible). Everything else (mutations, a profile, a dashboard) skips the cache altogether: no
 * scope hash, no Redis lookups for an answer that can never be there, and nothing written.
 */
export function mayBeCached(operation: OperationDefinitionNode | undefined): boolean {
  if (operation?.operation !== 'query') return false;
  return operation.selectionSet.selections.every(
    (selection) =>
      selection.kind !== Kind.FIELD || selection.name.value.startsWith('__') || CACHEABLE_QUERY_FIELDS.has(selection.name.value),
  );
}

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
    const cacheable = async ({ contextValue, operation }: GraphQLRequestContext<GatewayContext>) =>
      contextValue.identity !== null && !contextValue.mustChangePassword && mayBeCached(operation);
    return ApolloServerPluginResponseCache<GatewayContext>({
      cache: new RedisKeyValueCache(this.redis, 'pathway:response-cache:'),
      // No per-person entries: what is cached is shared within a scope, or not cached at all.
      sessionId: async () => null,
      // Asked before shouldReadFromCache: nothing to compute for an answer that is never looked up.
      extraCacheKeyData: async ({ contextValue: { identity }, operation }) =>
        identity && mayBeCached(operation) ? { scope: scopeKey(identity), versions: await this.versionsFor(identity) } : null,
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
