// Composes schema/<subgraph>.graphql into schema/supergraph.graphql with @apollo/composition.
// `--check` fails (exit 1) when composition reports errors or the committed supergraph is stale.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS } from './subgraphs.ts';

const schemaDir = new URL('../schema/', import.meta.url);
const supergraphPath = new URL('supergraph.graphql', schemaDir);
const check = process.argv.includes('--check');

const services = SUBGRAPHS.filter(({ name }) => existsSync(new URL(`${name}.graphql`, schemaDir))).map(({ name, port }) => ({
  name,
  url: `http://localhost:${port}/graphql`,
  typeDefs: parse(readFileSync(new URL(`${name}.graphql`, schemaDir), 'utf8')),
}));
const result = composeServices(services);
if (result.errors) {
  for (const error of result.errors) console.error(`composition error: ${error.message}`);
  process.exit(1);
}
for (const hint of result.hints ?? []) if (process.env.COMPOSE_HINTS) console.warn(`hint: ${hint.definition.code}: ${hint.message}`);

const supergraph = `${result.supergraphSdl.trimEnd()}\n`;
if (check) {
  const committed = existsSync(supergraphPath) ? readFileSync(supergraphPath, 'utf8') : '';
  if (committed !== supergraph) {
    console.error('schema/supergraph.graphql is stale: run `pnpm compose` and commit the result.');
    process.exit(1);
  }
  console.log(`supergraph is up to date (${services.length} subgraphs)`);
} else {
  writeFileSync(supergraphPath, supergraph);
  console.log(`composed ${services.map((s) => s.name).join(', ')} into schema/supergraph.graphql`);
}
