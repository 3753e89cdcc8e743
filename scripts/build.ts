// `pnpm build` (also run after install): compiles every process and workspace package to JavaScript
// with esbuild, so `pnpm start`, Docker and Kubernetes run plain `node <pkg>/dist/index.js` instead of
// compiling TypeScript at every start. Each package is one ES module bundle of its own files; npm
// dependencies stay imports (resolved from the package's own node_modules), and a workspace package
// is imported by relative path from its own bundle, so the kit is loaded once per process.
// The output mirrors the sources' depth (`src/` → `dist/`, `scripts/` → `dist/`), so paths a module
// computes from import.meta.url (schema/, prisma/…/migrations, graphiql/dist) stay right.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

/** Where each workspace package lives; its bundle is `<dir>/dist/index.js`. */
const WORKSPACE: Record<string, string> = {
  '@pathway/kit': 'packages/kit',
  '@pathway/devstack': 'packages/devstack',
  '@pathway/mongo-wire': 'packages/mongo-wire',
};

/** Every entry point, as a source file; its bundle is `compiledPath(source)`. */
export const ENTRIES = [
  ...Object.values(WORKSPACE).map((dir) => `${dir}/src/index.ts`),
  'gateway/src/index.ts',
  ...['identity', 'campus', 'learning', 'behavior', 'market'].map((name) => `subgraphs/${name}/src/index.ts`),
  'scripts/start.ts',
  'scripts/migrate.ts',
];

/** `subgraphs/campus/src/index.ts` → `subgraphs/campus/dist/index.js`; `scripts/start.ts` → `dist/start.js`. */
export function compiledPath(source: string): string {
  const js = source.replace(/\.ts$/, '.js');
  return js.startsWith('scripts/') ? js.replace(/^scripts\//, 'dist/') : js.replace('/src/', '/dist/');
}

/** Workspace imports point at the other package's bundle, relative to the importing bundle. */
function workspaceLinks(outFile: string): Plugin {
  return {
    name: 'pathway-workspace',
    setup(b) {
      b.onResolve({ filter: /^@pathway\// }, (args) => {
        const dir = WORKSPACE[args.path];
        if (!dir) return { errors: [{ text: `unknown workspace package ${args.path}` }] };
        const target = path.relative(path.dirname(outFile), path.join(root, dir, 'dist/index.js'));
        return { path: target.startsWith('.') ? target : `./${target}`, external: true };
      });
    },
  };
}

export async function buildAll(): Promise<void> {
  await Promise.all(
    ENTRIES.map((source) => {
      const outfile = path.join(root, compiledPath(source));
      return build({
        entryPoints: [path.join(root, source)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        plugins: [workspaceLinks(outfile)],
        sourcemap: 'linked',
        logLevel: 'warning',
      });
    }),
  );
}

/** The entries whose bundle is missing or older than a file of its sources (`<pkg>/src`, or `scripts`). */
export function staleBundles(): string[] {
  return ENTRIES.filter((source) => {
    const bundle = path.join(root, compiledPath(source));
    if (!existsSync(bundle)) return true;
    return newestChange(path.join(root, path.dirname(source))) > statSync(bundle).mtimeMs;
  });
}

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

// Run as `tsx scripts/build.ts`; imported by start (whose bundle holds this module too), it only exports.
if (process.argv[1]?.endsWith(path.join('scripts', 'build.ts'))) {
  const started = Date.now();
  await buildAll();
  console.log(`build: ${ENTRIES.length} bundles in ${Date.now() - started} ms`);
}
