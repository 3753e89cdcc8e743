import type DataLoader from 'dataloader';
import { Query } from 'mingo';
import type { Identity } from './identity.ts';

/**
 * Who may see the rows of one entity, said once (each subgraph's `access.ts`): `where(identity)` is
 * the filter — a Prisma `WhereInput` or a Mongo filter — that lists and loaders AND into their
 * queries, and row rules decide on a loaded row from that same filter (`rowVisible`), so the query
 * and the rule cannot drift apart.
 */
export interface EntityAccess<W> {
  /** Names the shield rule built from it (graphql-shield needs unique rule names). */
  readonly name: string;
  where(identity: Identity): W;
}

export function defineAccess<W>(name: string, where: (identity: Identity) => W): EntityAccess<W> {
  return { name, where };
}

/** Three-valued: true or false when the row alone decides, undefined when only the database can (a relation filter). */
export type Decision = boolean | undefined;

const all = (decisions: Decision[]): Decision => (decisions.includes(false) ? false : decisions.includes(undefined) ? undefined : true);
const any = (decisions: Decision[]): Decision => (decisions.includes(true) ? true : decisions.includes(undefined) ? undefined : false);
const not = (decision: Decision): Decision => (decision === undefined ? undefined : !decision);

type Value = string | number | boolean | bigint | Date | null;
const isValue = (v: unknown): v is Value => v === null || v instanceof Date || ['string', 'number', 'boolean', 'bigint'].includes(typeof v);
const same = (a: unknown, b: unknown) =>
  a instanceof Date || b instanceof Date ? new Date(a as Date).getTime() === new Date(b as Date).getTime() : (a ?? null) === (b ?? null);

/** A column filter (`{ in: [...] }`, `{ not: x }`, …) on one value; undefined for operators left to the database. */
function fieldMatches(value: unknown, filter: Record<string, unknown>): Decision {
  const decisions: Decision[] = [];
  for (const [op, arg] of Object.entries(filter)) {
    if (op === 'equals' && isValue(arg)) decisions.push(same(value, arg));
    else if (op === 'in' && Array.isArray(arg)) decisions.push(arg.some((a) => same(value, a)));
    else if (op === 'notIn' && Array.isArray(arg)) decisions.push(!arg.some((a) => same(value, a)));
    else if (op === 'not' && isValue(arg)) decisions.push(!same(value, arg));
    else if (op === 'not' && typeof arg === 'object') decisions.push(not(fieldMatches(value, arg as Record<string, unknown>)));
    else decisions.push(undefined); // contains, gt, mode, relation filters (some, every, none, is): the database decides
  }
  return all(decisions);
}

/**
 * Evaluates a Prisma `where` on a loaded row, as far as the row's own columns decide it: equality,
 * `in`/`notIn`/`not`/`equals`, `AND`/`OR`/`NOT`. Anything else — a relation filter, a column the
 * row does not carry — is undefined, for the database to decide. An empty branch inside `OR` is
 * dropped, as Prisma drops it (see `anyOf` in scope.ts).
 */
export function matchesWhere(where: object, row: object): Decision {
  const fields = row as Record<string, unknown>;
  const decisions: Decision[] = [];
  for (const [key, condition] of Object.entries(where)) {
    if (condition === undefined) continue;
    if (key === 'AND') {
      decisions.push(all((Array.isArray(condition) ? condition : [condition]).map((w: object) => matchesWhere(w, row))));
    } else if (key === 'OR') {
      const branches = (condition as object[]).filter((w) => Object.keys(w).length > 0);
      decisions.push(any(branches.map((w) => matchesWhere(w, row))));
    } else if (key === 'NOT') {
      decisions.push(not(any((Array.isArray(condition) ? condition : [condition]).map((w: object) => matchesWhere(w, row)))));
    } else if (!(key in fields)) {
      decisions.push(undefined);
    } else if (isValue(condition)) {
      decisions.push(same(fields[key], condition));
    } else if (typeof condition === 'object') {
      decisions.push(fieldMatches(fields[key], condition as Record<string, unknown>));
    } else {
      decisions.push(undefined);
    }
  }
  return all(decisions);
}

/** Evaluates a Mongo filter on a loaded document (mingo implements the query language). */
export function matchesFilter(filter: object, document: object): boolean {
  return new Query(filter as Record<string, unknown>).test(document as Record<string, unknown>);
}

/**
 * Whether `identity` may see `row` under `access`: decided on the row where its columns suffice,
 * else by `confirm` — a per-request loader answering "which of these ids match the filter" in one
 * query per batch, which the loaders that read through the same filter prime (`primeVisible`).
 */
export function rowVisible<W extends object>(
  access: EntityAccess<W>,
  identity: Identity,
  row: { id: string },
  confirm: DataLoader<string, boolean>,
): boolean | Promise<boolean> {
  return matchesWhere(access.where(identity), row) ?? confirm.load(row.id);
}

/** Records that rows read through an access filter are visible, so their row rules never ask the database again; hands the rows on. */
export function primeVisible<T extends { id: string }>(confirm: DataLoader<string, boolean>, rows: T[]): T[] {
  for (const row of rows) confirm.prime(row.id, true);
  return rows;
}
