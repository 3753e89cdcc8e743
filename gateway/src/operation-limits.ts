import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';

/**
 * Limits on the shape of an operation (OWASP GraphQL cheat sheet), enforced by graphql-armor before
 * anything is planned: generous for what the apps and GraphiQL send (its introspection query is
 * exempt from depth and cost), far below what a deep-nesting, alias or fragment bomb needs. A refused
 * operation is GRAPHQL_VALIDATION_FAILED, saying which limit it broke; field suggestions ("Did you
 * mean …") are never given, since they let a stranger map the schema.
 */
export const OPERATION_LIMITS = {
  depth: 10,
  aliases: 30,
  directives: 20,
  tokens: 5_000,
  /**
   * Fields 1, objects 2, times the `first` of every list above them, fragments expanded: roughly how
   * many values the answer can hold. The facility dashboard (100 classes × 100 enrollments) costs
   * about 81,000; `first: 100` nested three times, a million.
   */
  cost: 100_000,
} as const;

export function operationLimits<C extends BaseContext>() {
  const protection = new ApolloArmor({
    maxDepth: { n: OPERATION_LIMITS.depth },
    maxAliases: { n: OPERATION_LIMITS.aliases },
    maxDirectives: { n: OPERATION_LIMITS.directives },
    maxTokens: { n: OPERATION_LIMITS.tokens },
    // No extra factor per level: depth has its own limit, and the list sizes already multiply.
    costLimit: { maxCost: OPERATION_LIMITS.cost, objectCost: 2, scalarCost: 1, depthCostFactor: 1, flattenFragments: true },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  // Its plugins never read the context, so they serve a server of any context type.
  return { plugins: protection.plugins as ApolloServerPlugin<C>[], validationRules: protection.validationRules };
}
