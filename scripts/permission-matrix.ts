// `pnpm permission-matrix`: writes the policy of test/support/permission-policy.ts into the README,
// between the permission-matrix markers, for people to audit who sees what. The matrix test checks
// that the README and the running system both say the same.
import { readFileSync, writeFileSync } from 'node:fs';
import { policyTable } from '../test/support/permission-policy.ts';

const README = new URL('../README.md', import.meta.url);
const START = '<!-- permission-matrix -->';
const END = '<!-- /permission-matrix -->';

const readme = readFileSync(README, 'utf8');
const from = readme.indexOf(START);
const to = readme.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} block`);
writeFileSync(README, `${readme.slice(0, from + START.length)}\n${policyTable()}\n${readme.slice(to)}`);
console.log('README.md: permission matrix written');
