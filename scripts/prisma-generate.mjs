// Generates each subgraph's Prisma client after install. Prisma needs DATABASE_URL set to
// generate, even though it never connects, so a placeholder stands in when none is given.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://generate@localhost/none',
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ./prisma/unref-timers.cjs`.trim(),
};
for (const entry of readdirSync('prisma', { withFileTypes: true })) {
  const config = `prisma/${entry.name}/prisma.config.ts`;
  if (!entry.isDirectory() || !existsSync(config)) continue;
  execFileSync('pnpm', ['exec', 'prisma', 'generate', '--config', config], { stdio: 'inherit', env });
}
