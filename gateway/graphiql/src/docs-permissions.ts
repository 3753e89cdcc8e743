// The docs explorer says what each field requires: the introspection answer's field descriptions get
// a "Requires …" line from the subgraphs' rule trees (scripts/field-permissions.ts, bundled at build).
import type { Fetcher } from '@graphiql/toolkit';
import fieldPermissions from './generated/field-permissions.json' with { type: 'json' };

const REQUIRES: Record<string, Record<string, string>> = fieldPermissions;

interface IntrospectedType {
  name: string;
  fields?: { name: string; description?: string | null }[] | null;
}

/** Adds each field's requirement to its description (in place) and returns the result. */
export function withRequirements<T>(result: T): T {
  const types = (result as { data?: { __schema?: { types?: IntrospectedType[] } } }).data?.__schema?.types;
  for (const type of types ?? [])
    for (const field of type.fields ?? []) {
      const requires = REQUIRES[type.name]?.[field.name];
      if (requires) field.description = `${field.description ? `${field.description}\n\n` : ''}**Requires:** ${requires}`;
    }
  return result;
}

/** A fetcher whose introspection answers carry the requirements. */
export const describingRequirements =
  (fetcher: Fetcher): Fetcher =>
  (params, options) => {
    const result = fetcher(params, options);
    if (params.operationName !== 'IntrospectionQuery' || !(result instanceof Promise)) return result;
    return result.then(withRequirements);
  };
