// What each field of the supergraph requires, read from the subgraphs' graphql-shield rule trees
// (`subgraphs/<name>/src/permissions.ts`, the same objects the subgraphs enforce), for GraphiQL's
// docs explorer. Run by the GraphiQL build (`build:graphiql`), which bundles the result; nothing is
// committed, so it cannot go stale.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Kind, parse, type DocumentNode } from 'graphql';
import type { IRules, RuleTree } from '@pathway/kit';
import { SUBGRAPHS } from './subgraphs.ts';

/** Type → field → what it requires, in words (`market.aggregate.read`, `signed in and within reach`…). */
export type FieldPermissions = Record<string, Record<string, string>>;

interface Described {
  name?: string;
  getRules?: () => Described[];
  constructor: { name: string };
}

/** One rule in words: permission keys in backticks, relationships as what they check. */
export function describeRule(rule: unknown, nested = false): string {
  const r = rule as Described;
  const kind = r.constructor.name;
  if (kind === 'RuleTrue') return 'anyone';
  if (kind === 'RuleFalse') return 'nobody';
  if (r.getRules) {
    const parts = r.getRules().map((inner) => describeRule(inner, true));
    if (kind === 'RuleNot') return `not ${parts[0]}`;
    const joined = parts.join(kind === 'RuleOr' ? ' or ' : ' and ');
    return nested && parts.length > 1 ? `(${joined})` : joined;
  }
  const name = r.name ?? 'a rule';
  if (name.startsWith('can:')) return `\`${name.slice(4)}\``;
  if (name === 'isAuthenticated') return 'signed in';
  if (name.startsWith('visible:')) return `${name.slice(8)} within your reach`;
  if (name.startsWith('isSelf:')) return 'your own';
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The effective rule of each field a subgraph's SDL defines (field rule, else the type's `'*'`, else the type's rule, else deny). */
export function fieldPermissionsOf(sdl: DocumentNode, rules: RuleTree, into: FieldPermissions = {}): FieldPermissions {
  for (const definition of sdl.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const type = definition.name.value;
    // Subscriptions are served by the gateway (its own checks per event), not by shield.
    if (type === 'Subscription') continue;
    const typeRule = rules[type] as IRules | undefined;
    for (const field of definition.fields ?? []) {
      if (field.directives?.some((d) => d.name.value === 'external')) continue;
      const name = field.name.value;
      const perField = typeRule && !isRule(typeRule) ? (typeRule as Record<string, IRules>) : undefined;
      const rule = perField ? (perField[name] ?? perField['*']) : typeRule;
      const words = rule ? describeRule(rule) : 'nobody';
      const fields = (into[type] ??= {});
      // A field several subgraphs resolve (keys, shareable types): each says what it requires, once.
      const said = fields[name]?.split('; or ') ?? [];
      fields[name] = said.includes(words) ? said.join('; or ') : [...said, words].join('; or ');
    }
  }
  return into;
}

const isRule = (value: unknown) =>
  typeof (value as Described).constructor === 'function' && !(value as object).constructor.name.startsWith('Object');

/** Every subgraph's field requirements, merged. */
export async function fieldPermissions(): Promise<FieldPermissions> {
  const all: FieldPermissions = {};
  for (const { name } of SUBGRAPHS) {
    const { permissions } = (await import(`../subgraphs/${name}/src/permissions.ts`)) as { permissions: RuleTree };
    const sdl = parse(readFileSync(new URL(`../schema/${name}.graphql`, import.meta.url), 'utf8'));
    fieldPermissionsOf(sdl, permissions, all);
  }
  return all;
}

const OUTPUT = new URL('../gateway/graphiql/src/generated/field-permissions.json', import.meta.url);

if (import.meta.url === `file://${process.argv[1]}`) {
  const map = await fieldPermissions();
  mkdirSync(new URL('.', OUTPUT), { recursive: true });
  writeFileSync(OUTPUT, `${JSON.stringify(map, null, 1)}\n`);
  console.log(
    `field permissions of ${Object.values(map).reduce((n, fields) => n + Object.keys(fields).length, 0)} fields written for GraphiQL`,
  );
}
