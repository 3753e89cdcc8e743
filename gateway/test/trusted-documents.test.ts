import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSchema } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTrustedDocumentsManifest } from '../../scripts/trusted-documents.ts';
import { loadTrustedDocuments } from '../src/trusted-documents.ts';

const schema = buildSchema('type Query { me: User } type User { id: ID! name: String }');

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder of trusted documents made for one test (removed after the file's tests). */
function documents(files: Record<string, string>): URL {
  const dir = mkdtempSync(path.join(tmpdir(), 'trusted-documents-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return pathToFileURL(`${dir}/`);
}

describe('the trusted documents manifest (built with the supergraph)', () => {
  it('lists each valid operation with the SHA-256 of its exact text, in the apollo-persisted-query-manifest format', () => {
    const body = 'query Me {\n  me { id name }\n}\n';
    const { manifest, problems } = buildTrustedDocumentsManifest(schema, documents({ 'me.graphql': body }));
    expect(problems).toEqual([]);
    const parsed = JSON.parse(manifest);
    expect(parsed).toMatchObject({ format: 'apollo-persisted-query-manifest', version: 1 });
    expect(parsed.operations).toEqual([{ id: createHash('sha256').update(body).digest('hex'), name: 'Me', type: 'query', body }]);
  });

  it('names every file a schema change broke, or that is not one named operation', () => {
    const { problems } = buildTrustedDocumentsManifest(
      schema,
      documents({
        'gone.graphql': 'query Gone { me { id email } }',
        'two.graphql': 'query A { me { id } }\nquery B { me { name } }',
        'anonymous.graphql': '{ me { id } }',
        'broken.graphql': 'query Broken { me { id ',
      }),
    );
    expect(problems).toHaveLength(4);
    expect(problems.find((p) => p.startsWith('gone.graphql'))).toMatch(/email/);
    expect(problems.find((p) => p.startsWith('two.graphql'))).toMatch(/exactly one named operation/);
    expect(problems.find((p) => p.startsWith('anonymous.graphql'))).toMatch(/exactly one named operation/);
    expect(problems.find((p) => p.startsWith('broken.graphql'))).toMatch(/Syntax Error/);
  });

  it('the gateway trusts an operation only under the hash of its body (an edited body is dropped)', () => {
    const body = 'query Me { me { id } }';
    const { manifest } = buildTrustedDocumentsManifest(schema, documents({ 'me.graphql': body }));
    const dir = documents({});
    const tampered = JSON.parse(manifest);
    tampered.operations.push({ ...tampered.operations[0], name: 'Edited', body: 'query Me { me { id name } }' });
    const file = new URL('manifest.json', dir);
    writeFileSync(file, JSON.stringify(tampered));
    const loaded = loadTrustedDocuments(file.pathname);
    expect([...loaded.values()]).toEqual([body]);
  });
});
