import { integrationKey, publishRolePermissions, runSubgraph, withScope } from '@pathway/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext } from './context.ts';
import { publishFacilityFlags } from './data/feature-flags.ts';
import { rolePermissionMap, syncPermissionCatalog } from './data/rbac.ts';
import { personRefs } from './data/users.ts';
import { identityEnv } from './env.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { identityJobs, identityWorkers } from './webhooks/index.ts';

runSubgraph({
  name: 'identity',
  env: identityEnv,
  prisma: (adapter, transactionOptions) => new PrismaClient({ adapter, transactionOptions }),
  resolvers,
  permissions,
  async onStart(deps) {
    integrationKey(deps.config); // stops a production start without INTEGRATION_SECRET_KEY
    const added = await syncPermissionCatalog(deps.prisma);
    if (added.length) deps.log.info({ added }, 'added new permission keys with their default grants');
    // The gateway signs each request's permissions from this directory.
    await publishRolePermissions(deps.redis, await rolePermissionMap(deps.prisma));
    // And a gateway can put each facility's feature flags into the identity from this one.
    await withScope(deps.prisma, 'service', (tx) => publishFacilityFlags(tx, deps.redis));
  },
  // Webhook deliveries (jobs) and the dispatcher that fans events out to them (a worker).
  jobs: identityJobs,
  workers: identityWorkers,
  // Other subgraphs check the people their writes name here (kit references.ts).
  lookups: (deps) => ({ people: (identity, ids) => withScope(deps.prisma, identity, (tx) => personRefs(tx, identity, ids)) }),
  context: createContext,
});
