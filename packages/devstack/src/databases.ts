import type pg from 'pg';
import { withClient } from './pg-client.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PROTECTED = new Set(['postgres', 'template0', 'template1']);

/** Throws unless `name` is a plain identifier (letters, digits, underscore; ≤ 63 bytes) that is safe to drop. */
export function assertDatabaseName(name: string): void {
  if (!NAME.test(name) || name.length > 63) {
    throw new Error(
      `invalid database name ${JSON.stringify(name)}: use letters, digits and _ only (not starting with a digit, at most 63 characters)`,
    );
  }
  if (PROTECTED.has(name.toLowerCase())) {
    throw new Error(`refusing to create or drop the system database ${JSON.stringify(name)}`);
  }
}

/** `adminUrl` with its database replaced by `name` (credentials, host and query parameters kept). */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function databaseOf(adminUrl: string): string | undefined {
  try {
    return decodeURIComponent(new URL(adminUrl).pathname.replace(/^\//, '')) || undefined;
  } catch {
    return undefined;
  }
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function checkTarget(adminUrl: string, name: string): void {
  assertDatabaseName(name);
  if (databaseOf(adminUrl) === name) {
    throw new Error(`refusing to drop ${JSON.stringify(name)}: it is the database of the admin connection`);
  }
}

async function drop(client: pg.Client, name: string): Promise<void> {
  try {
    // WITH (FORCE) (PostgreSQL 13+) disconnects sessions still using the database.
    await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42601') throw err; // syntax error: server older than 13
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await client.query(`DROP DATABASE IF EXISTS ${quote(name)}`);
  }
}

/**
 * Creates database `name` in the cluster of `adminUrl` (dropping it first if it exists) and returns its URL.
 * Meant for an isolated database per test run.
 */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  checkTarget(adminUrl, name);
  await withClient(adminUrl, async (client) => {
    await drop(client, name);
    await client.query(`CREATE DATABASE ${quote(name)}`);
  });
  return databaseUrl(adminUrl, name);
}

/** Drops database `name` from the cluster of `adminUrl` (no error when it does not exist). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  checkTarget(adminUrl, name);
  await withClient(adminUrl, (client) => drop(client, name));
}
