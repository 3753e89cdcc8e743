import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { MigrationAdapter } from './migrate-adapter.ts';

/** The Prisma CLI configuration of one subgraph: its schema file, migrations and Postgres schema. */
export function subgraphPrismaConfig(subgraph: string) {
  const dir = path.join(import.meta.dirname, subgraph);
  return defineConfig({
    experimental: { adapter: true },
    engine: 'js',
    adapter: async () => new MigrationAdapter(process.env.DATABASE_URL ?? 'postgresql://localhost/none', subgraph),
    schema: path.join(dir, 'schema.prisma'),
    migrations: { path: path.join(dir, 'migrations') },
  });
}
