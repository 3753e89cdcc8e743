/** The five subgraphs, in start order, with their default local ports (the gateway is 4000). */
export const SUBGRAPHS = [
  { name: 'identity', port: 4001 },
  { name: 'campus', port: 4002 },
  { name: 'learning', port: 4003 },
  { name: 'behavior', port: 4004 },
  { name: 'market', port: 4005 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];
