// Database errors that have a meaning for the client, recognised in one place: a unique-constraint
// clash (a CONFLICT the caller can act on) here, a saturated database (retry shortly) in
// database-busy.ts. Read from the error's shape rather than `instanceof`, since every subgraph has
// its own generated Prisma client.
import { shapeOf } from './database-busy.ts';
import { ConflictReason, conflict } from './errors.ts';

/**
 * The fields of the unique constraint that a Prisma P2002 names (the database's column names; empty
 * when it names none), or null when `error` is not a unique-constraint clash.
 */
export function uniqueViolationFields(error: unknown): string[] | null {
  const { code, meta } = shapeOf(error);
  if (code !== 'P2002') return null;
  const fields = meta?.driverAdapterError?.cause?.constraint?.fields ?? meta?.target;
  return Array.isArray(fields) ? fields.map(String) : [];
}

/**
 * For `.catch()` after a write: a unique-constraint clash (Prisma P2002) becomes CONFLICT with reason
 * DUPLICATE, `fields` naming the unique fields and the caller's `fieldErrors` if given; any other
 * error passes on unchanged. Checking first and inserting after still races; the index decides.
 */
export function rethrowDuplicate(message: string, fieldErrors?: Record<string, string>): (error: unknown) => never {
  return (error) => {
    const fields = uniqueViolationFields(error);
    if (!fields) throw error;
    throw conflict(message, { reason: ConflictReason.DUPLICATE, fields, ...(fieldErrors ? { fieldErrors } : {}) });
  };
}
