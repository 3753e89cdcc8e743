import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, JSONResolver, LocalDateResolver, UUIDResolver } from 'graphql-scalars';

// The scalars every subgraph declares, validated where the value enters (literal or variable), so a
// bad one is the client's BAD_USER_INPUT before any resolver runs, never a database error later.
// graphql-scalars does the parsing; these add the bounds PostgreSQL and the process need.

const badValue = (message: string, node?: ValueNode) => new GraphQLError(message, { nodes: node, extensions: { code: 'BAD_USER_INPUT' } });

/** Any id: graphql-scalars' UUID (8-4-4-4-12 hex, the form every key column holds). */
export const UUIDScalar = UUIDResolver;

/** Years PostgreSQL's timestamptz and JavaScript's Date agree on, and no person's record lies outside. */
const FIRST_YEAR = 1;
const LAST_YEAR = 9999;

function inYearRange(value: unknown, node?: ValueNode): Date {
  const date = value as Date;
  const year = date.getUTCFullYear();
  if (year < FIRST_YEAR || year > LAST_YEAR) throw badValue(`A DateTime must lie between the years ${FIRST_YEAR} and ${LAST_YEAR}.`, node);
  return date;
}

/** ISO-8601 instant with offset (graphql-scalars' DateTime), within years 1–9999. */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  parseValue: (value) => inYearRange(DateTimeResolver.parseValue(value)),
  parseLiteral: (node, variables) => inYearRange(DateTimeResolver.parseLiteral(node, variables), node),
});

/** A calendar date YYYY-MM-DD (graphql-scalars' LocalDate). */
export const LocalDateScalar = LocalDateResolver;

/** JSON nested deeper than this, or larger, is refused: no record here needs more, and deeper input once overflowed the stack. */
export const JSON_MAX_DEPTH = 20;
export const JSON_MAX_BYTES = 64 * 1024;

/**
 * Depth of a JSON value, and whether it holds a `__proto__` key, found without recursion (a hostile
 * value cannot overflow the stack). Such a key is refused: code along the way that copies objects
 * by assignment would take it as a prototype (or silently drop it), never as data.
 */
function shapeOf(value: unknown): { depth: number; protoKey: boolean } {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length) {
    const [next, depth] = pending.pop()!;
    if (next === null || typeof next !== 'object') continue;
    if (Object.prototype.hasOwnProperty.call(next, '__proto__')) return { depth: deepest, protoKey: true };
    deepest = Math.max(deepest, depth);
    if (deepest > JSON_MAX_DEPTH) return { depth: deepest, protoKey: false };
    for (const child of Object.values(next)) pending.push([child, depth + 1]);
  }
  return { depth: deepest, protoKey: false };
}

function boundedJson(value: unknown, node?: ValueNode): unknown {
  const shape = shapeOf(value);
  if (shape.protoKey) throw badValue('JSON may not use `__proto__` as a key.', node);
  if (shape.depth > JSON_MAX_DEPTH) throw badValue(`JSON may be nested at most ${JSON_MAX_DEPTH} levels deep.`, node);
  if (JSON.stringify(value ?? null).length > JSON_MAX_BYTES) throw badValue(`JSON may be at most ${JSON_MAX_BYTES / 1024} KB.`, node);
  return value;
}

/** Literal depth, counted on the syntax tree before graphql-scalars turns it into a value recursively (by assignment: a `__proto__` field is refused here). */
function literalDepth(node: ValueNode): number {
  let deepest = 0;
  const pending: [ValueNode, number][] = [[node, 0]];
  while (pending.length) {
    const [next, depth] = pending.pop()!;
    if (next.kind === Kind.OBJECT || next.kind === Kind.LIST) {
      deepest = Math.max(deepest, depth + 1);
      if (deepest > JSON_MAX_DEPTH) return deepest;
      if (next.kind === Kind.OBJECT && next.fields.some((f) => f.name.value === '__proto__'))
        throw badValue('JSON may not use `__proto__` as a key.', next);
      const children = next.kind === Kind.OBJECT ? next.fields.map((f) => f.value) : next.values;
      for (const child of children) pending.push([child, depth + 1]);
    }
  }
  return deepest;
}

/** Any JSON value (graphql-scalars' JSON), at most 20 levels deep and 64 KB. */
export const JSONScalar = new GraphQLScalarType({
  ...JSONResolver.toConfig(),
  parseValue: (value) => boundedJson(JSONResolver.parseValue(value)),
  parseLiteral: (node, variables) => {
    if (literalDepth(node) > JSON_MAX_DEPTH) throw badValue(`JSON may be nested at most ${JSON_MAX_DEPTH} levels deep.`, node);
    return boundedJson(JSONResolver.parseLiteral(node, variables), node);
  },
});
