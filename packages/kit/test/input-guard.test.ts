import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { guardInput, inputProblem } from '../src/input-guard.ts';
import { formatError } from '../src/errors.ts';

describe('inputProblem', () => {
  it('finds a NUL in strings, lists, nested objects and keys, and nowhere else', () => {
    expect(inputProblem('a\u0000b')).toBe('NUL');
    expect(inputProblem({ input: { tags: ['ok', 'x\u0000'] } })).toBe('NUL');
    expect(inputProblem({ ['k\u0000']: 1 })).toBe('NUL');
    expect(inputProblem({ input: { name: 'Ana', n: 3, none: null, rtl: '\u202eabc' } })).toBeNull();
    expect(inputProblem(undefined)).toBeNull();
  });

  it('finds a lone surrogate (half a pair), in strings and keys, and lets whole pairs through', () => {
    expect(inputProblem({ search: '\ud83d' })).toBe('LONE_SURROGATE');
    expect(inputProblem({ ['k\udc00']: 1 })).toBe('LONE_SURROGATE');
    expect(inputProblem({ search: 'ok \ud83d\ude00 ok' })).toBeNull();
  });

  it('finds nesting past 32 levels, even 10,000 deep, without overflowing the stack', () => {
    const nest = (depth: number, leaf: unknown) => {
      let value = leaf;
      for (let i = 0; i < depth; i++) value = { value };
      return value;
    };
    expect(inputProblem(nest(10_000, 'end'))).toBe('TOO_DEEP');
    expect(inputProblem(nest(33, 'end'))).toBe('TOO_DEEP');
    expect(inputProblem(nest(32, 'end'))).toBeNull();
    expect(inputProblem(nest(31, 'end\u0000'))).toBe('NUL');
  });
});

describe('guardInput inside Apollo Server', () => {
  const server = new ApolloServer({
    typeDefs: 'type Query { echo(text: String!): String }',
    resolvers: { Query: { echo: (_: unknown, { text }: { text: string }) => text } },
    plugins: [guardInput()],
    formatError: (formatted, error) => formatError(formatted, error),
  });

  it('refuses NUL in a literal and in variables as BAD_USER_INPUT, and lets other text through', async () => {
    await server.start();
    try {
      const ask = async (query: string, variables?: Record<string, unknown>) => {
        const response = await server.executeOperation({ query, variables });
        return response.body.kind === 'single' ? response.body.singleResult : undefined;
      };
      expect((await ask('{ echo(text: "a\\u0000b") }'))?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await ask('query($t: String!) { echo(text: $t) }', { t: 'a\u0000b' }))?.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await ask('query($t: String!) { echo(text: $t) }', { t: 'אבג abc' }))?.data).toEqual({ echo: 'אבג abc' });
    } finally {
      await server.stop();
    }
  });
});
