import type pg from 'pg';

/** A row to insert: column name → value (a string, number, boolean, Date, array or object, or null). */
export type Row = Record<string, unknown>;

const BATCH = 5_000;

/** Values as Postgres reads them from text; the column's type (from the catalog) does the rest. */
function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Inserts rows into `schema.table` in batches of 5,000, one statement each: every column travels
 * as one text array (`unnest`) cast to the column's own type, read from the catalog, so enums,
 * arrays, JSON and dates need no per-table code. The caller's transaction sets the tenant for
 * Row-Level Security.
 */
export async function bulkInsert(client: pg.ClientBase, schema: string, table: string, rows: readonly Row[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]!);
  const { rows: types } = await client.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [`"${schema}"."${table}"`],
  );
  const typeOf = new Map(types.map((t) => [t.name, t.type]));
  const quoted = columns.map((c) => `"${c}"`);
  const casts = columns.map((c, i) => {
    const type = typeOf.get(c);
    if (!type) throw new Error(`${schema}.${table} has no column ${c}`);
    return `u.c${i}::${type}`;
  });
  const sql = `INSERT INTO "${schema}"."${table}" (${quoted.join(', ')})
    SELECT ${casts.join(', ')} FROM unnest(${columns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS u(${columns.map((_, i) => `c${i}`).join(', ')})`;
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    await client.query(
      sql,
      columns.map((c) => batch.map((r) => text(r[c]))),
    );
  }
}
