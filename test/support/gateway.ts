import type { ChildProcess } from 'node:child_process';
import { startGateway } from './processes.ts';

export interface ExtraGateway {
  url: string;
  process: ChildProcess;
  stop(): void;
}

/**
 * Another gateway process over the test stack's subgraphs and Redis (a second instance, or other
 * settings), as `pnpm start` runs it (NODE_ENV unset: development) unless `env` says otherwise.
 */
export async function startExtraGateway(env: Record<string, string> = {}): Promise<ExtraGateway> {
  const service = await startGateway({ NODE_ENV: 'development', ...env });
  return { url: service.url, process: service.process, stop: () => void service.stop() };
}
