// `pnpm start`: the whole supergraph on embedded defaults (or DATABASE_URL / REDIS_URL / MONGODB_URL).
import path from 'node:path';
import { runProcess } from '@pathway/kit';
import { DEMO_PASSWORD, users } from './demo/ids.ts';
import { startStack } from './stack.ts';

const root = new URL('..', import.meta.url).pathname;

void runProcess('start', async () => {
  const started = Date.now();
  const stack = await startStack({
    stateDir: process.env.PATHWAY_STATE_DIR ?? path.join(root, '.pathway'),
    ports: 'fixed',
    demo: process.env.PATHWAY_DEMO !== '0',
    output: 'console',
    log: (line) => console.log(`[start] ${line}`),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const logins = Object.values(users).map((u) => `    ${u.role.padEnd(17)} ${u.username}`);
  console.log(
    [
      '',
      `Pathway is up in ${seconds} s (postgres: ${stack.sources.postgres}, redis: ${stack.sources.redis}, mongo: ${stack.sources.mongo}).`,
      `  GraphiQL and API: ${stack.gatewayUrl}`,
      `  Demo logins (password ${DEMO_PASSWORD}):`,
      ...logins,
      '  Stop with Ctrl-C.',
      '',
    ].join('\n'),
  );
  return [() => stack.stop()];
});
