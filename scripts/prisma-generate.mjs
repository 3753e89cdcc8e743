// Generates each subgraph's Prisma client after install. Prisma needs DATABASE_URL set to
// generate, even though it never connects, so a placeholder stands in when none is given.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? 'postgresql://generate@localhost/none' };
for (const name of readdirSync('prisma', { withFileTypes: true })) {
  const schema = `prisma/${name.name}/schema.prisma`;
  if (!name.isDirectory() || !existsSync(schema)) continue;
  execFileSync('pnpm', ['exec', 'prisma', 'generate', '--schema', schema], { stdio: 'inherit', env });
}
