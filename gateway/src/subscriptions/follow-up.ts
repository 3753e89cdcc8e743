import { Kind, print, visit, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import type { SubscriptionSpec } from './catalog.ts';

/** The subscription operation reduced to what delivering one event needs. */
export interface FollowUpPlan {
  /** Response key of the subscription root field, e.g. `assetTransferred` or its alias. */
  rootKey: string;
  spec: SubscriptionSpec;
  /** Variables of the client's operation to pass on, and the `after` argument's value. */
  after: string | null;
  /**
   * The query that loads the entity with the client's own selection (just `__typename` when the
   * client selected none: the lookup still decides whether this subscriber may know of the event).
   */
  query: string;
  /** Top-level selections of the event object: response key → field name. */
  eventFields: { key: string; name: string }[];
}

const ENTITY_ALIAS = '__entity';

/** Plans the delivery of a subscription: which field, which cursor, which follow-up query. */
export function planFollowUp(
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  specs: Record<string, SubscriptionSpec>,
): FollowUpPlan {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operations.find((o) => !operationName || o.name?.value === operationName) ?? operations[0]!;
  const root = operation.selectionSet.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value !== '__typename')!;
  const spec = specs[root.name.value]!;
  const afterArg = root.arguments?.find((a) => a.name.value === 'after')?.value;
  const after =
    afterArg?.kind === Kind.VARIABLE
      ? ((variables[afterArg.name.value] as string | null | undefined) ?? null)
      : afterArg?.kind === Kind.STRING
        ? afterArg.value
        : null;

  const fields = (root.selectionSet?.selections ?? []).filter((s): s is FieldNode => s.kind === Kind.FIELD);
  const eventFields = fields.map((f) => ({ key: f.alias?.value ?? f.name.value, name: f.name.value }));
  const entity = fields.find((f) => f.name.value === spec.entityField);
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  const used = new Set<string>();
  for (const node of [...(entity ? [entity] : []), ...fragments]) visit(node, { Variable: (v) => void used.add(v.name.value) });
  const byId = spec.byId !== false;
  const definitions = [
    ...(byId ? ['$__id: UUID!'] : []),
    ...(operation.variableDefinitions ?? []).filter((d) => used.has(d.variable.name.value)).map((d) => print(d)),
  ];
  const selection = entity?.selectionSet ? print(entity.selectionSet) : '{ __typename }';
  const lookup = `${spec.lookupField}${byId ? '(id: $__id)' : ''}`;
  const query = `query SubscriptionFollowUp${definitions.length ? `(${definitions.join(', ')})` : ''} {\n  ${ENTITY_ALIAS}: ${lookup} ${selection}\n}\n${entity ? fragments.map((f) => print(f)).join('\n') : ''}`;
  return { rootKey: root.alias?.value ?? root.name.value, spec, after, query, eventFields };
}

export { ENTITY_ALIAS };
