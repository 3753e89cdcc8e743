import {
  GraphQLError,
  GraphQLScalarType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import type { IMiddlewareFunction, IMiddlewareTypeMap } from 'graphql-middleware';
import { hasPermission } from './scope.ts';
import type { Identity } from './identity.ts';

// Aggregates must not single a person out: an analyst who learns that 2 residents of a unit were
// suspended last month may know who. Every field of type `Count` is a count of people or of their
// records; below the threshold (SMALL_COUNT_THRESHOLD, default 5), callers without
// `reports.exact_counts` (granted to administrators, who see the rows themselves) get "<5".
// Zero is shown: it singles nobody out.

/** A count of people or their records; suppressed as the string "<N" below the threshold. */
export const CountScalar = new GraphQLScalarType({
  name: 'Count',
  description:
    'A count of people or their records. Below the small-count threshold (default 5), callers without exact counts get the string "<5".',
  serialize(value) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
    if (typeof value === 'string' && /^<\d+$/.test(value)) return value;
    throw new GraphQLError(`Count cannot represent ${String(value)}`);
  },
  parseValue() {
    throw new GraphQLError('Count is an output type.', { extensions: { code: 'BAD_USER_INPUT' } });
  },
  parseLiteral() {
    throw new GraphQLError('Count is an output type.', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

export function smallCountThreshold(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SMALL_COUNT_THRESHOLD;
  const n = raw === undefined ? 5 : Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : 5;
}

/** The count as this caller may see it. */
export function shownCount(identity: Identity | null, count: number, threshold: number): number | string {
  if (count === 0 || count >= threshold) return count;
  return identity && hasPermission(identity, 'reports.exact_counts') ? count : `<${threshold}`;
}

/** part / whole, or null when there is no whole, or too small a one for this caller (a rate over 2 tells as much as the counts). */
export function shownRate(identity: Identity | null, part: number, whole: number, threshold: number): number | null {
  if (whole === 0 || typeof shownCount(identity, whole, threshold) === 'string') return null;
  return part / whole;
}

function namedTypeOf(field: GraphQLField<unknown, unknown>): string {
  let type: { ofType?: unknown; name?: string } = field.type as never;
  while (type.ofType) type = type.ofType as never;
  return type.name ?? '';
}

/** Middleware (graphql-middleware) over every field of type `Count` in `schema`, so no resolver can forget. */
export function smallCountMiddleware(schema: GraphQLSchema, threshold: number): IMiddlewareTypeMap {
  const map: IMiddlewareTypeMap = {};
  // By tag, not instanceof: a bench or test may load a second copy of graphql (another realm).
  for (const type of Object.values(schema.getTypeMap())) {
    if (type[Symbol.toStringTag] !== 'GraphQLObjectType' || type.name.startsWith('__')) continue;
    for (const field of Object.values((type as GraphQLObjectType).getFields())) {
      if (namedTypeOf(field) !== 'Count') continue;
      const fields = (map[type.name] ??= {}) as Record<string, IMiddlewareFunction>;
      const shown: IMiddlewareFunction<unknown, { identity: Identity | null }> = async (resolve, parent, args, context, info) => {
        const count = (await (resolve as GraphQLFieldResolver<unknown, unknown>)(parent, args, context, info)) as number | null;
        return count == null ? count : shownCount(context.identity, count, threshold);
      };
      fields[field.name] = shown as IMiddlewareFunction;
    }
  }
  return map;
}
