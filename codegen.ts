import { existsSync, readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Resolver types for every subgraph, generated from its SDL (`schema/<name>.graphql`) into
 * `subgraphs/<name>/src/generated/graphql.ts` (not committed; written on install and by `pnpm typecheck`).
 *
 * - Parent types: each `export type <GraphQLType>Mapper` in the subgraph's `src/mappers.ts` backs that
 *   GraphQL type (a Prisma row, a Mongo document, a reference `{ id }`), so resolvers receive what the
 *   data layer returns.
 * - Context: the subgraph's `ResolverContext` (`src/context.ts`), in which `identity` is set: every
 *   field but the few public ones is behind a shield rule that requires it. Public resolvers type
 *   their context argument with the wider request context themselves.
 */
const SUBGRAPHS = ['identity', 'campus', 'learning', 'behavior', 'market'] as const;

function mappersOf(name: string): Record<string, string> {
  const file = `subgraphs/${name}/src/mappers.ts`;
  if (!existsSync(file)) return {};
  const mappers: Record<string, string> = {};
  for (const [, type] of readFileSync(file, 'utf8').matchAll(/^export (?:type|interface) (\w+)Mapper\b/gm)) {
    mappers[type!] = `../mappers.ts#${type}Mapper`;
  }
  return mappers;
}

const config: CodegenConfig = {
  overwrite: true,
  silent: true,
  generates: Object.fromEntries(
    SUBGRAPHS.map((name) => [
      `subgraphs/${name}/src/generated/graphql.ts`,
      {
        schema: `schema/${name}.graphql`,
        plugins: ['typescript', 'typescript-resolvers'],
        config: {
          federation: true,
          useTypeImports: true,
          contextType: '../context.ts#ResolverContext',
          mappers: mappersOf(name),
          // Unused mappers are a mistake (a renamed type): keep them visible.
          showUnusedMappers: true,
          enumsAsTypes: true,
          avoidOptionals: false,
          scalars: {
            ID: 'string',
            UUID: 'string',
            DateTime: { input: 'Date', output: 'Date | string' },
            LocalDate: { input: 'string', output: 'Date | string' },
            // Only market declares Decimal: its scalar (subgraphs/market/src/decimal.ts) parses input to a Prisma
            // Decimal, and serializes a Decimal, a decimal string or a BSON Decimal128.
            Decimal: { input: '../decimal.ts#DecimalInput', output: 'string | { toString(): string }' },
            JSON: { input: 'unknown', output: 'unknown' },
            // Resolvers return the exact count; the kit's small-count middleware decides what the caller sees.
            Count: { input: 'never', output: 'number' },
          },
        },
      },
    ]),
  ),
};
export default config;
