// Secrets must never reach a log: the tests record every token the API hands them (`recordIssued`,
// called by the shared client on every answer), and the stack's teardown reads every line every
// process wrote during the run for those tokens, the passwords the tests use and the stack's own
// secrets (`findSecretsInLogs`). It names the file and the kind of secret, never the secret itself.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TOKEN_FIELDS = /"(accessToken|refreshToken|apiKey|secret|access_token)"\s*:\s*"([^"]{16,})"/g;

/** Appends the tokens and secrets in an API answer's text to this worker's file in `dir`. */
export function recordIssued(dir: string, body: string): void {
  const found = [...body.matchAll(TOKEN_FIELDS)].map((m) => `${m[1]}\t${m[2]}`);
  if (!found.length) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(path.join(dir, `${process.pid}.tsv`), `${found.join('\n')}\n`);
}

/** The tokens recorded in `dir`, by kind. */
function issued(dir: string): [string, string][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) =>
    readFileSync(path.join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t') as [string, string]),
  );
}

/** Every (log file, kind of secret) where a secret appears, and how many tokens were recorded (so a check over nothing shows); `known` adds named secrets to them. */
export function findSecretsInLogs(logDir: string, issuedDir: string, known: Record<string, string>): { leaks: string[]; tokens: number } {
  const tokens = issued(issuedDir);
  const secrets: [string, string][] = [...Object.entries(known), ...tokens];
  const findings: string[] = [];
  for (const file of readdirSync(logDir)) {
    const text = readFileSync(path.join(logDir, file), 'utf8');
    for (const kind of new Set(secrets.filter(([, value]) => text.includes(value)).map(([k]) => k))) findings.push(`${file}: ${kind}`);
  }
  return { leaks: findings, tokens: tokens.length };
}
