// Generates each subgraph's Prisma client after install, with Prisma 7's CLI. That CLI downloads a
// native schema engine at start unless one is named, though generating never runs it: a stand-in
// that refuses to migrate is named instead (migrations run on Prisma 6.19, prisma/migrate.config.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: path.resolve('prisma/no-schema-engine.sh'), PRISMA_HIDE_UPDATE_MESSAGE: '1' };
for (const entry of readdirSync('prisma', { withFileTypes: true })) {
  const config = `prisma/${entry.name}/prisma.config.ts`;
  if (!entry.isDirectory() || !existsSync(config)) continue;
  execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate', '--config', config], { stdio: 'inherit', env });
}
