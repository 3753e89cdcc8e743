// Prisma Migrate runs on Prisma 6.19.3's CLI (`prisma-migrate` in package.json), the client on
// Prisma 7: 7's Migrate needs a native schema engine it downloads, which this machine cannot reach,
// while 6.19 migrates offline with its Wasm engine over a driver adapter (shared recipes). The
// migration files are plain SQL, the same for both. One config serves every subgraph: the
// subgraph is named by PATHWAY_MIGRATE_SUBGRAPH (scripts/database.ts sets it).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma-migrate/config';
import { MigrationAdapter } from './migrate-adapter.ts';

const subgraph = process.env.PATHWAY_MIGRATE_SUBGRAPH ?? '';
if (!/^[a-z]+$/.test(subgraph)) throw new Error('PATHWAY_MIGRATE_SUBGRAPH must name a subgraph, e.g. campus');
const dir = path.join(import.meta.dirname, subgraph);

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new MigrationAdapter(process.env.DATABASE_URL ?? 'postgresql://localhost/none', subgraph),
  schema: schemaWithUrl(path.join(dir, 'schema.prisma')),
  migrations: { path: path.join(dir, 'migrations') },
});

/** Prisma 6.19 wants the datasource's `url` in the schema file, Prisma 7 refuses it there: 6.19 reads a copy with it. */
function schemaWithUrl(schema: string): string {
  const text = readFileSync(schema, 'utf8').replace(
    /(datasource db \{\n\s*provider\s*=\s*"postgresql")/,
    '$1\n  url = env("DATABASE_URL")',
  );
  if (!text.includes('url = env("DATABASE_URL")')) throw new Error(`${schema}: no datasource db block with provider "postgresql"`);
  const copy = path.join(import.meta.dirname, '..', '.pathway', 'migrate', subgraph, 'schema.prisma');
  mkdirSync(path.dirname(copy), { recursive: true });
  // Written whole, then renamed: migrations of several test databases may run at once.
  writeFileSync(`${copy}.${process.pid}`, text);
  renameSync(`${copy}.${process.pid}`, copy);
  return copy;
}
