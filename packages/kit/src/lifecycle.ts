import { ConfigError } from './config.ts';
import { createLogger, type Logger } from './logger.ts';

type Stop = () => Promise<unknown>;
/** Beyond this a stuck shutdown is abandoned so orchestrators aren't left waiting. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Runs a Pathway process: starts it, and on SIGTERM/SIGINT runs its stop steps in order (server
 * first, then connections). A bad configuration prints one line naming the variable and exits 1.
 */
export async function runProcess(name: string, start: (log: Logger) => Promise<Stop[]>): Promise<void> {
  const log = createLogger(name);
  // Signals are taken from the very beginning: the server may already answer probes while jobs and
  // workers are still starting, and a SIGTERM then must wait for the start, not kill the process.
  let signalled: string | null = null;
  let stops: Stop[] | null = null;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping || !stops) return;
    stopping = true;
    log.info({ signal }, `${name} shutting down`);
    setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
    for (const stop of stops) {
      try {
        await stop();
      } catch (error) {
        log.warn({ err: error }, 'error during shutdown');
      }
    }
    process.exit(0);
  };
  const onSignal = (signal: string) => {
    signalled ??= signal;
    void shutdown(signal);
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
  try {
    stops = await start(log);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${name}: ${error.message}\n`);
    } else {
      log.fatal({ err: error }, `${name} failed to start`);
    }
    process.exit(1);
  }
  if (signalled) await shutdown(signalled);
}
