import {
  connectRedis,
  DirectoryKeeper,
  directoriesPublished,
  publishRolePermissions,
  runSubgraph,
  withScope,
  type Redis,
} from '@pathway/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext } from './context.ts';
import { publishFacilityFlags } from './data/feature-flags.ts';
import { publishServiceAccounts } from './data/service-accounts.ts';
import { rolePermissionMap, syncPermissionCatalog } from './data/rbac.ts';
import { personNames, personRefs } from './data/users.ts';
import { ownProfileRefs } from './data/profiles.ts';
import { identityEnv } from './env.ts';
import { integrationKeyRing } from './integration-secrets.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { identityJobs, identityWorkers } from './webhooks/index.ts';
import { resealIntegrationSecrets } from './writes/reseal.ts';

runSubgraph({
  name: 'identity',
  env: identityEnv,
  prisma: (adapter, transactionOptions) => new PrismaClient({ adapter, transactionOptions }),
  resolvers,
  permissions,
  async onStart(deps) {
    // Stops a production start without INTEGRATION_SECRET_KEYS; then reseals what an older key sealed.
    await resealIntegrationSecrets(deps.prisma, integrationKeyRing(deps.config), { log: deps.log });
    const added = await syncPermissionCatalog(deps.prisma);
    if (added.length) deps.log.info({ added }, 'added new permission keys with their default grants');
    await publishDirectories(deps.prisma, deps.redis);
  },
  // Webhook deliveries (jobs) and the dispatcher that fans events out to them (a worker).
  jobs: identityJobs,
  workers: (deps) => [
    ...identityWorkers(deps),
    // Redis losing its data must not leave everyone FORBIDDEN: republish when asked or found missing.
    new DirectoryKeeper({
      redis: deps.redis,
      subscriber: connectRedis(deps.config.REDIS_URL, 'identity-directories'),
      isPublished: directoriesPublished,
      republish: () => publishDirectories(deps.prisma, deps.redis),
      log: deps.log,
    }),
  ],
  // Other subgraphs check the people their writes name here (kit references.ts).
  lookups: (deps) => ({
    people: (identity, ids) => withScope(deps.prisma, identity, (tx) => personRefs(tx, identity, ids)),
    // Only the caller's own profile (market ranks recommendations for the person themself).
    profiles: (identity, ids) => ownProfileRefs(deps.mongo.db, identity, ids),
    // Reports' CSV (campus rosters) name people as the caller may read them.
    names: (identity, ids) => withScope(deps.prisma, identity, (tx) => personNames(tx, identity, ids)),
  }),
  context: createContext,
});

/** The gateway signs each request's permissions and facility flags, and knows API keys, from these directories. */
async function publishDirectories(prisma: PrismaClient, redis: Redis) {
  await publishRolePermissions(redis, await rolePermissionMap(prisma));
  await withScope(prisma, 'service', (tx) => publishFacilityFlags(tx, redis));
  await withScope(prisma, 'service', (tx) => publishServiceAccounts(tx, redis));
}
