// `pnpm migrate [--demo]`: creates the application role and applies every subgraph's migrations to
// DATABASE_URL (an owner/admin connection); with --demo also loads the demo data (needs MONGODB_URL).
import { loadConfig, mongoUrl, postgresUrl, runProcess } from '@pathway/kit';
import { z } from 'zod';
import { ensureAppRole, migrateAll } from './database.ts';
import { seedDemo } from './demo/index.ts';

const demo = process.argv.includes('--demo');

void runProcess('migrate', async () => {
  const config = loadConfig({
    DATABASE_URL: postgresUrl,
    APP_DB_PASSWORD: z.string().min(12, 'must be at least 12 characters'),
    MONGODB_URL: demo ? mongoUrl : mongoUrl.optional(),
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  });
  await ensureAppRole(config.DATABASE_URL, config.APP_DB_PASSWORD);
  await migrateAll(config.DATABASE_URL, (line) => console.log(line));
  if (demo && config.MONGODB_URL)
    await seedDemo(config.DATABASE_URL, config.MONGODB_URL, { integratorKey: config.NODE_ENV !== 'production' });
  console.log('database ready');
  process.exit(0);
});
