// The example operations saved in gateway/graphiql/operations, one tab per subgraph.
const files = import.meta.glob('../operations/*.graphql', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const exampleTabs = Object.entries(files)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([, query]) => ({ query }));
