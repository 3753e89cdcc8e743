import { readFileSync } from 'node:fs';
import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { and, allow, can, isAuthenticated, or, type RuleTree } from '@pathway/kit';
import { parse } from 'graphql';
import { describeRule, fieldPermissions, fieldPermissionsOf } from '../../scripts/field-permissions.ts';

// What GraphiQL's docs explorer says each field requires, read from the subgraphs' own rule trees.
describe('field permissions for the docs explorer', () => {
  it('says a rule in words: keys in backticks, and/or with parentheses', () => {
    expect(describeRule(can('market.aggregate.read'))).toBe('`market.aggregate.read`');
    expect(describeRule(allow)).toBe('anyone');
    expect(describeRule(and(isAuthenticated, or(can('identity.user.read'), can('identity.user.list'))))).toBe(
      'signed in and (`identity.user.read` or `identity.user.list`)',
    );
  });

  it("takes a field's rule, else the type's '*', else the type's rule, else nobody", () => {
    const sdl = parse('type Query { a: Int b: Int } type Thing { x: Int y: Int } type Other { z: Int } type Closed { w: Int }');
    const rules: RuleTree = {
      Query: { a: can('identity.user.list'), '*': isAuthenticated },
      Thing: can('campus.class.read'),
      Other: { z: allow },
    };
    expect(fieldPermissionsOf(sdl, rules)).toEqual({
      Query: { a: '`identity.user.list`', b: 'signed in' },
      Thing: { x: '`campus.class.read`', y: '`campus.class.read`' },
      Other: { z: 'anyone' },
      Closed: { w: 'nobody' },
    });
  });

  it('covers every root field of the supergraph, from the rules the subgraphs enforce', async () => {
    const map = await fieldPermissions();
    expect(map.Query!.marketStats).toBe('`market.aggregate.read`');
    expect(map.Query!.identityStats).toBe('`identity.aggregate.read`');
    expect(map.Mutation!.login).toBe('anyone');
    expect(map.Transaction!.amount).toContain('`market.transaction.read`');
    const schema = buildSchema(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'), { assumeValidSDL: true });
    for (const root of ['Query', 'Mutation']) {
      const type = schema.getType(root);
      if (!isObjectType(type)) throw new Error(`no ${root}`);
      const missing = Object.keys(type.getFields()).filter((f) => !f.startsWith('_') && !map[root]?.[f]);
      expect(missing, `${root} fields without a requirement`).toEqual([]);
    }
  });
});
