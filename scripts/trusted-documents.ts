// The apps' registered operations, built with the supergraph: each `gateway/trusted-documents/*.graphql`
// (one named operation per file) is validated against the composed API schema and listed in
// `manifest.json` in Apollo's persisted query manifest format, which the gateway loads. An operation
// a schema change broke fails the build instead of failing in the apps.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { Kind, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

export const DOCUMENTS_DIR = new URL('../gateway/trusted-documents/', import.meta.url);
export const MANIFEST_PATH = new URL('manifest.json', DOCUMENTS_DIR);

interface ManifestOperation {
  /** SHA-256 of `body`: what an app sends instead of the text. */
  id: string;
  name: string;
  type: OperationDefinitionNode['operation'];
  body: string;
}

/** The manifest's text, or the problems found (one line each, naming the file). */
export function buildTrustedDocumentsManifest(apiSchema: GraphQLSchema, dir = DOCUMENTS_DIR): { manifest: string; problems: string[] } {
  const problems: string[] = [];
  const operations: ManifestOperation[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()) {
    const body = readFileSync(new URL(file, dir), 'utf8');
    let document;
    try {
      document = parse(body);
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message}`);
      continue;
    }
    const defined = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (defined.length !== 1 || !defined[0]!.name) {
      problems.push(`${file}: must hold exactly one named operation`);
      continue;
    }
    for (const error of validate(apiSchema, document)) problems.push(`${file}: ${error.message}`);
    const operation = defined[0]!;
    operations.push({ id: createHash('sha256').update(body).digest('hex'), name: operation.name!.value, type: operation.operation, body });
  }
  const manifest = { format: 'apollo-persisted-query-manifest', version: 1, operations };
  return { manifest: `${JSON.stringify(manifest, null, 2)}\n`, problems };
}

const EXAMPLES_DIR = new URL('../gateway/graphiql/operations/', import.meta.url);

/** GraphiQL's example operations (`operations/<set>/*.graphql`) must keep working too: the problems found. */
export function checkExampleOperations(apiSchema: GraphQLSchema): string[] {
  return readdirSync(EXAMPLES_DIR, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.graphql'))
    .flatMap((file) => {
      try {
        return validate(apiSchema, parse(readFileSync(new URL(file, EXAMPLES_DIR), 'utf8'))).map(
          (error) => `graphiql/operations/${file}: ${error.message}`,
        );
      } catch (error) {
        return [`graphiql/operations/${file}: ${(error as Error).message}`];
      }
    });
}
