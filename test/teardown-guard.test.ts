import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The stack's teardown (the log check for secrets) fails the run when it throws: a vitest run of its
// own, on a one-test fixture whose global teardown throws, must exit non-zero. Without the guard,
// vitest 4 exits 0.
const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'pathway-teardown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runFixture(guarded: boolean): Promise<number | null> {
  const guard = path.join(root, 'test/support/teardown-guard.ts');
  const teardown = `async () => { throw new Error('a secret in the logs'); }`;
  writeFileSync(
    path.join(dir, `setup-${guarded}.ts`),
    guarded
      ? `import { failRunOnError } from ${JSON.stringify(guard)};\nexport default () => failRunOnError(${teardown});\n`
      : `export default () => ${teardown};\n`,
  );
  writeFileSync(path.join(dir, 'fixture.spec.ts'), `import { it } from 'vitest';\nit('passes', () => {});\n`);
  writeFileSync(
    path.join(dir, `vitest-${guarded}.config.ts`),
    `export default { test: { root: ${JSON.stringify(dir)}, include: ['fixture.spec.ts'], globalSetup: ['./setup-${guarded}.ts'] } };\n`,
  );
  const vitest = path.join(root, 'node_modules/.bin/vitest');
  return new Promise((resolve) => {
    const child = execFile(vitest, ['run', '--config', path.join(dir, `vitest-${guarded}.config.ts`)], { cwd: dir, timeout: 110_000 }, () =>
      resolve(child.exitCode),
    );
  });
}

describe('a global teardown that throws', () => {
  it('fails the run when guarded, where vitest alone would pass it', { timeout: 120_000 }, async () => {
    expect(await Promise.all([runFixture(false), runFixture(true)])).toEqual([0, 1]);
  });
});
