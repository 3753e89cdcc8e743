// Database errors that have a meaning for the client, recognised in one place: a unique-constraint
// clash (a CONFLICT the caller can act on) here, a saturated database (retry shortly) in
// database-busy.ts. Read from the error's shape rather than `instanceof`, since every subgraph has
// its own generated Prisma client.
import { shapeOf } from './database-busy.ts';
import { ConflictReason, conflict } from './errors.ts';

/** What a unique-constraint clash says about itself; either part may be missing. */
export interface UniqueViolation {
  /** The constraint's columns. Postgres tells them only when the caller could read the row (not under RLS). */
  fields: string[];
  /** The constraint's name (e.g. `tenants_slug_key`), from the database's message. */
  constraint: string | null;
}

/** What a Prisma P2002 says of the clash, or null when `error` is not a unique-constraint clash. */
export function uniqueViolation(error: unknown): UniqueViolation | null {
  const { code, meta } = shapeOf(error);
  if (code !== 'P2002') return null;
  const cause = meta?.driverAdapterError?.cause;
  const fields = cause?.constraint?.fields ?? meta?.target;
  const constraint =
    typeof cause?.originalMessage === 'string' ? (/unique constraint "([^"]+)"/.exec(cause.originalMessage)?.[1] ?? null) : null;
  return { fields: Array.isArray(fields) ? fields.map(String) : [], constraint };
}

/**
 * For `.catch()` after a write: a unique-constraint clash (Prisma P2002) becomes CONFLICT with reason
 * DUPLICATE, naming the unique `fields` (the database's, else those of the caller's `fieldErrors`) and
 * the `constraint`; any other error passes on unchanged. A check before the insert still races with
 * another request: the unique index decides, and this says so in the common vocabulary.
 */
export function rethrowDuplicate(message: string, fieldErrors?: Record<string, string>): (error: unknown) => never {
  return (error) => {
    const clash = uniqueViolation(error);
    if (!clash) throw error;
    const fields = clash.fields.length ? clash.fields : Object.keys(fieldErrors ?? {});
    throw conflict(message, {
      reason: ConflictReason.DUPLICATE,
      fields,
      constraint: clash.constraint,
      ...(fieldErrors ? { fieldErrors } : {}),
    });
  };
}

/**
 * The name of the exclusion constraint a write violated (SQLSTATE 23P01, e.g. two overlapping
 * reservations of one listing), or null for any other error. Postgres's detail names the clashing
 * row's values: never pass it to a client.
 */
export function exclusionViolation(error: unknown): string | null {
  // Where a unique clash's cause is too (Prisma 7 reports it as P2010 from adapter-pg).
  const cause = shapeOf(error).meta?.driverAdapterError?.cause;
  if (cause?.originalCode !== '23P01') return null;
  return typeof cause.originalMessage === 'string' ? (/exclusion constraint "([^"]+)"/.exec(cause.originalMessage)?.[1] ?? '') : '';
}
