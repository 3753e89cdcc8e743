// Composes schema/<subgraph>.graphql into schema/supergraph.graphql with @apollo/composition, and
// builds the apps' trusted documents manifest against it (scripts/trusted-documents.ts); GraphiQL's
// example operations are validated against it too.
// `--check` fails (exit 1) when composition reports errors, an app operation does not validate, or
// the committed supergraph or manifest is stale.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS } from './subgraphs.ts';
import { MANIFEST_PATH, buildTrustedDocumentsManifest, checkExampleOperations } from './trusted-documents.ts';

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
const apiSchema = result.schema.toAPISchema().toGraphQLJSSchema();
const { manifest, problems } = buildTrustedDocumentsManifest(apiSchema);
problems.push(...checkExampleOperations(apiSchema));
if (problems.length) {
  for (const problem of problems) console.error(`operation: ${problem}`);
  process.exit(1);
}
const outputs = [
  { path: supergraphPath, text: supergraph, name: 'schema/supergraph.graphql' },
  { path: MANIFEST_PATH, text: manifest, name: 'gateway/trusted-documents/manifest.json' },
];
if (check) {
  const stale = outputs.filter((o) => (existsSync(o.path) ? readFileSync(o.path, 'utf8') : '') !== o.text);
  for (const o of stale) console.error(`${o.name} is stale: run \`pnpm compose\` and commit the result.`);
  if (stale.length) process.exit(1);
  console.log(`supergraph and trusted documents manifest are up to date (${services.length} subgraphs)`);
} else {
  for (const o of outputs) writeFileSync(o.path, o.text);
  console.log(`composed ${services.map((s) => s.name).join(', ')} into schema/supergraph.graphql; wrote the trusted documents manifest`);
}
