import { ApolloServer } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { containsNul, refuseNulCharacters } from '../src/input-guard.ts';
import { formatError } from '../src/errors.ts';

describe('containsNul', () => {
  it('finds a NUL in strings, lists, nested objects and keys, and nowhere else', () => {
    expect(containsNul('a\u0000b')).toBe(true);
    expect(containsNul({ input: { tags: ['ok', 'x\u0000'] } })).toBe(true);
    expect(containsNul({ ['k\u0000']: 1 })).toBe(true);
    expect(containsNul({ input: { name: 'Ana', n: 3, none: null, rtl: '\u202eabc' } })).toBe(false);
    expect(containsNul(undefined)).toBe(false);
  });

  it('walks JSON nested 10,000 deep without overflowing the stack', () => {
    let deep: unknown = 'end\u0000';
    for (let i = 0; i < 10_000; i++) deep = { deep };
    expect(containsNul(deep)).toBe(true);
  });
});

describe('refuseNulCharacters inside Apollo Server', () => {
  const server = new ApolloServer({
    typeDefs: 'type Query { echo(text: String!): String }',
    resolvers: { Query: { echo: (_: unknown, { text }: { text: string }) => text } },
    plugins: [refuseNulCharacters()],
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
