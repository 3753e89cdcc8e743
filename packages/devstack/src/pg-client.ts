import pg from 'pg';

/** Run `fn` with a connected pg client, always closing it afterwards. */
export async function withClient<T>(
  connectionString: string,
  fn: (client: pg.Client) => Promise<T>,
  connectTimeoutMs = 10_000,
): Promise<T> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: connectTimeoutMs });
  // A server-side disconnect must not become an unhandled 'error' event.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** True when `select 1` succeeds within the timeout. */
export async function canQuery(connectionString: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    await withClient(connectionString, (c) => c.query('select 1'), timeoutMs);
    return true;
  } catch {
    return false;
  }
}
