// `pnpm bench [name…]`: runs the benchmarks in scripts/bench/ (all, or those named), each against a
// stack of its own, and prints their figures. Not part of `pnpm test`: speed is measured here, not asserted.
import { readdirSync } from 'node:fs';
import path from 'node:path';

const dir = path.join(import.meta.dirname, 'bench');
const wanted = process.argv.slice(2);
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => !wanted.length || wanted.includes(name));

for (const name of names) {
  console.log(`\n== ${name}`);
  const { run } = (await import(path.join(dir, `${name}.ts`))) as { run(): Promise<void> };
  await run();
}
process.exit(0);
