// CI's guard after `pnpm test`: every test file in the repository ran. A run whose setup failed, or
// whose include globs lost a folder, can report success with fewer files; this makes it fail.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const REPORT = '.pathway/test-report.json';
const ROOTS = [
  'test',
  'gateway/test',
  'deploy/test',
  ...['packages', 'subgraphs'].flatMap((dir) => readdirSync(dir).map((name) => `${dir}/${name}/test`)),
];

function testFiles(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const expected = new Set(ROOTS.flatMap(testFiles).map((file) => path.resolve(file)));
const report = JSON.parse(readFileSync(REPORT, 'utf8'));
const ran = new Set(report.testResults.map((result) => path.resolve(result.name)));
const missing = [...expected].filter((file) => !ran.has(file));
console.log(
  `test files: ${expected.size} in the repository, ${ran.size} ran; tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
);
if (missing.length) {
  console.error(`These test files did not run:\n  ${missing.map((f) => path.relative(process.cwd(), f)).join('\n  ')}`);
  process.exit(1);
}
if (!report.success || report.numFailedTests > 0 || report.numTotalTests === 0) {
  console.error('The test run did not succeed.');
  process.exit(1);
}
