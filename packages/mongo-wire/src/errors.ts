// Server errors carry MongoDB's numeric code and codeName, because the driver
// (and application code) branch on `err.code` (e.g. 11000 for duplicate keys).
import { MingoError } from 'mingo/util';

export const Codes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  Location40573: 40573,
  DuplicateKey: 11000,
} as const;

export type CodeName = keyof typeof Codes;

export class ServerError extends Error {
  readonly code: number;
  readonly codeName: string;
  /** Extra fields copied into the error reply (e.g. keyPattern/keyValue for E11000). */
  readonly extra: Record<string, unknown>;

  constructor(codeName: CodeName, message: string, extra: Record<string, unknown> = {}) {
    super(message);
    this.code = Codes[codeName];
    this.codeName = codeName;
    this.extra = extra;
  }
}

/** Turns any thrown value into the `{ code, codeName, errmsg }` triple MongoDB uses. */
export function describeError(err: unknown): { code: number; codeName: string; errmsg: string; extra: Record<string, unknown> } {
  if (err instanceof ServerError) {
    return { code: err.code, codeName: err.codeName, errmsg: err.message, extra: err.extra };
  }
  const message = err instanceof Error ? err.message : String(err);
  // mingo reports invalid queries/updates with its own MingoError: those are the client's fault.
  if (err instanceof MingoError) {
    if (message.includes('immutable field')) {
      return { code: Codes.ImmutableField, codeName: 'ImmutableField', errmsg: message, extra: {} };
    }
    if (message.includes('would create a conflict')) {
      return { code: Codes.ConflictingUpdateOperators, codeName: 'ConflictingUpdateOperators', errmsg: message, extra: {} };
    }
    return { code: Codes.BadValue, codeName: 'BadValue', errmsg: message, extra: {} };
  }
  return { code: Codes.InternalError, codeName: 'InternalError', errmsg: message, extra: {} };
}

export function errorReply(err: unknown): Record<string, unknown> {
  const { code, codeName, errmsg, extra } = describeError(err);
  return { ok: 0, errmsg, code, codeName, ...extra };
}
