// The one place that calls into mingo for queries, sorting, projection and
// update operators.
//
// Why not just `new Query(filter)` from 'mingo'? That entry point copies its
// full operator table (hundreds of expression operators) on every Query or
// update, which costs ~50–300 µs per call and dominated point reads and
// updates. The base classes accept a caller-supplied Context, so plain
// filters/updates get a small one; anything that may evaluate aggregation
// expressions ($expr, computed projections) uses the full entry point.
import { Context, Query as FullQuery, update as fullUpdate } from 'mingo';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import { Query as BaseQuery } from 'mingo/query';
import type { Options } from 'mingo/types';
import { update as baseUpdate } from 'mingo/updater';
import { isPlainObject, type Doc } from './values.ts';

/** Query + projection operators only: enough for filters without $expr. */
const LEAN_QUERY_CONTEXT = Context.init({
  query: queryOperators as unknown as NonNullable<Parameters<typeof Context.init>[0]>['query'],
  projection: projectionOperators as unknown as NonNullable<Parameters<typeof Context.init>[0]>['projection'],
});
/** The updater adds the query/boolean/comparison operators it needs to whatever it is given. */
const EMPTY_CONTEXT = Context.init({});

export interface Matcher {
  test(doc: Doc): boolean;
}

export function collationOption(collation: unknown): Partial<Options> {
  return isPlainObject(collation) && typeof collation.locale === 'string'
    ? { collation: collation as unknown as Options['collation'] }
    : {};
}

/** True if `value` contains an object key named `key` at any depth. */
function mentions(value: unknown, keys: ReadonlySet<string>): boolean {
  if (Array.isArray(value)) return value.some((v) => mentions(v, keys));
  if (!isPlainObject(value)) return false;
  return Object.entries(value).some(([k, v]) => keys.has(k) || mentions(v, keys));
}

const NEEDS_EXPRESSIONS = new Set(['$expr', '$function', '$accumulator', '$jsonSchema']);

export function compileFilter(filter: Doc, collation?: unknown): Matcher {
  const options = collationOption(collation);
  return mentions(filter, NEEDS_EXPRESSIONS)
    ? new FullQuery(filter, options)
    : new BaseQuery(filter, { ...options, context: LEAN_QUERY_CONTEXT });
}

export function sortDocs(docs: Doc[], sort: Doc, collation?: unknown): Doc[] {
  return new BaseQuery({}, { ...collationOption(collation), context: LEAN_QUERY_CONTEXT }).find<Doc>(docs).sort(sort).all();
}

/**
 * Applies a find/findAndModify projection. The filter is passed so positional
 * projections (`arr.$`) can resolve. Plain inclusion/exclusion specs need no
 * operators; anything else may hold aggregation expressions.
 */
export function projectDocs(docs: Doc[], filter: Doc, projection: Doc, collation?: unknown): Doc[] {
  const options = collationOption(collation);
  const plain = Object.values(projection).every((v) => typeof v === 'number' || typeof v === 'boolean');
  const query =
    plain && !mentions(filter, NEEDS_EXPRESSIONS)
      ? new BaseQuery(filter, { ...options, context: LEAN_QUERY_CONTEXT })
      : new FullQuery(filter, options);
  return query.find<Doc>(docs, projection).all();
}

/**
 * Runs update operators on `doc` in place and returns the changed paths.
 * `condition` is only needed for the positional `$` operator.
 */
export function applyModifier(doc: Doc, modifier: Doc, arrayFilters: Doc[] | undefined, condition: Doc | undefined): string[] {
  if (mentions([modifier, arrayFilters, condition], NEEDS_EXPRESSIONS)) {
    return fullUpdate(doc, modifier, arrayFilters, condition, { cloneMode: 'deep' });
  }
  return baseUpdate(doc, modifier, arrayFilters, condition, { cloneMode: 'deep', queryOptions: { context: EMPTY_CONTEXT } });
}
