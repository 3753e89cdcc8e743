import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { users } from '../scripts/demo/ids.ts';
import { tokenFor } from './support/client.ts';

// An operationName that names none of the document's operations is the client's mistake: a
// BAD_REQUEST naming the operations there are, never an INTERNAL_SERVER_ERROR.
const DOCUMENT = 'query A { me { id } } query B { me { username } }';

async function post(body: Record<string, unknown>) {
  const response = await fetch(inject('gatewayUrl'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(users.teacher.username)}` },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

describe('operationName', () => {
  it('refuses a name the document does not have, saying which it has', async () => {
    const res = await post({ query: DOCUMENT, operationName: 'C' });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
    expect(res.body.errors![0]!.message).toBe(
      'There is no operation named "C": the document has "A", "B". Send one of those as operationName.',
    );
    expect(res.body.data).toBeUndefined();
  });

  it('refuses a document of several operations without a name', async () => {
    const res = await post({ query: DOCUMENT });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
    expect(res.body.errors![0]!.message).toMatch(/Say which operation to run: the document has "A", "B"/);
  });

  it('runs the operation named, and a single operation without a name', async () => {
    const named = await post({ query: DOCUMENT, operationName: 'B' });
    expect(named.status).toBe(200);
    expect(named.body).toEqual({ data: { me: { username: users.teacher.username } } });
    const single = await post({ query: 'query A { me { id } }', operationName: null });
    expect(single.body).toEqual({ data: { me: { id: users.teacher.id } } });
    // A name given for a document with one operation must still be its name.
    const wrong = await post({ query: 'query A { me { id } }', operationName: 'Z' });
    expect(wrong.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
  });
});
