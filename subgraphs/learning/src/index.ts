import { runSubgraph } from '@pathway/kit';
import { PrismaClient } from './generated/prisma/client.ts';
import { createContext } from './context.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';

runSubgraph({
  name: 'learning',
  // Belt and braces: the encrypted access key is never read by the API's queries either.
  prisma: (adapter, transactionOptions) =>
    new PrismaClient({ adapter, transactionOptions, omit: { providerPlatform: { accessKeyEncrypted: true } } }),
  resolvers,
  permissions,
  context: createContext,
});
