import path from 'node:path';
import { defineConfig } from 'prisma/config';

/**
 * The Prisma 7 CLI configuration of one subgraph, for `prisma generate`: its schema file and
 * migrations. The migrations are applied by Prisma 6.19's CLI (`migrate.config.ts` says why).
 */
export function subgraphPrismaConfig(subgraph: string) {
  const dir = path.join(import.meta.dirname, subgraph);
  return defineConfig({
    schema: path.join(dir, 'schema.prisma'),
    migrations: { path: path.join(dir, 'migrations') },
  });
}
