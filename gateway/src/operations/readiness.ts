import type { ReadinessCheck, Redis } from '@pathway/kit';

/** The subgraphs a supergraph names, with their URLs (`@join__graph(name:, url:)`). */
export function subgraphsOf(supergraphSdl: string): Record<string, string> {
  const graphs: Record<string, string> = {};
  for (const match of supergraphSdl.matchAll(/@join__graph\(\s*name:\s*"([^"]+)"\s*,\s*url:\s*"([^"]+)"\s*\)/g))
    graphs[match[1]!] = match[2]!;
  return graphs;
}

/**
 * What the gateway's `/readyz` checks: a supergraph is loaded, Redis answers (sessions, caches,
 * events), and every subgraph of the supergraph is itself ready (its own `/readyz`, which checks its
 * database, migrations, Redis and Mongo).
 */
export function gatewayReadiness(opts: {
  supergraph: () => string | null;
  redis: Redis;
  /** Subgraph URLs configured in place of the supergraph's (docker-compose, Kubernetes). */
  overrides: Record<string, string | undefined>;
}): () => ReadinessCheck[] {
  return () => {
    const sdl = opts.supergraph();
    const checks: ReadinessCheck[] = [
      {
        name: 'supergraph',
        check: async () => {
          if (!sdl) throw new Error('no supergraph loaded yet');
        },
      },
      {
        name: 'redis',
        check: async () => {
          if ((await opts.redis.ping()) !== 'PONG') throw new Error('Redis did not answer PONG');
        },
      },
    ];
    for (const [name, url] of Object.entries(subgraphsOf(sdl ?? ''))) {
      const readyz = (opts.overrides[name] ?? url).replace(/\/graphql\/?$/, '') + '/readyz';
      checks.push({
        name: `subgraph:${name}`,
        check: async () => {
          const response = await fetch(readyz, { signal: AbortSignal.timeout(1_500) }).catch(() => null);
          if (!response) throw new Error(`${name} did not answer`);
          if (!response.ok) throw new Error(`${name} is not ready (HTTP ${response.status})`);
        },
      });
    }
    return checks;
  };
}
