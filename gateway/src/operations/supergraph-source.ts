import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { SupergraphManager } from '@apollo/gateway';
import { Counter, metrics, type Logger } from '@pathway/kit';

const reloads = new Counter({
  name: 'pathway_gateway_supergraph_reloads_total',
  help: 'Changed supergraphs the gateway saw: applied, or refused (it kept serving the last good one).',
  labelNames: ['outcome'] as const,
  registers: [metrics],
});

export interface SupergraphSourceOptions {
  /** The composed supergraph file (`schema/supergraph.graphql`). */
  path: string;
  /** When set, the supergraph is fetched from here instead (e.g. a schema registry or an object store). */
  url?: string;
  /** How often the file or URL is looked at. */
  pollMs: number;
  log: Logger;
}

export interface SupergraphSource {
  /** ApolloGateway's `supergraphSdl` option. */
  manager: SupergraphManager;
  /** The supergraph being served (the last good one), once loaded. */
  current(): string | null;
}

const hash = (sdl: string) => createHash('sha256').update(sdl).digest('hex').slice(0, 12);

/**
 * The gateway's supergraph, reloaded without downtime: the file (or URL) is polled, and a changed
 * supergraph is handed to the gateway, which builds its schema and query planner before switching
 * (requests in flight finish on the old one). One that fails to load (not a valid composed
 * supergraph) is refused and logged; the last good one keeps serving, and is retried only when the
 * source changes again.
 */
export function supergraphSource(opts: SupergraphSourceOptions): SupergraphSource {
  let served: string | null = null;
  let refused: string | null = null;
  const read = async () => {
    if (!opts.url) return readFile(opts.path, 'utf8');
    const response = await fetch(opts.url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`supergraph URL answered HTTP ${response.status}`);
    return response.text();
  };
  const manager: SupergraphManager = {
    async initialize({ update }) {
      served = await read();
      let polling = false;
      const timer = setInterval(async () => {
        if (polling) return;
        polling = true;
        try {
          const sdl = await read();
          if (sdl === served || sdl === refused) return;
          try {
            update(sdl);
            served = sdl;
            refused = null;
            reloads.inc({ outcome: 'applied' });
            opts.log.info({ supergraph: hash(sdl) }, 'supergraph reloaded');
          } catch (error) {
            refused = sdl;
            reloads.inc({ outcome: 'refused' });
            opts.log.error(
              { err: error, supergraph: hash(sdl), serving: hash(served ?? '') },
              'supergraph refused; serving the last good one',
            );
          }
        } catch (error) {
          // A file being replaced or a registry briefly away: keep serving, look again next time.
          opts.log.warn({ err: error }, 'supergraph source unreadable; serving the last good one');
        } finally {
          polling = false;
        }
      }, opts.pollMs);
      timer.unref();
      return { supergraphSdl: served, cleanup: async () => clearInterval(timer) };
    },
  };
  return { manager, current: () => served };
}
