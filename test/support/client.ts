import { inject } from 'vitest';
import { DEMO_PASSWORD } from '../../scripts/demo/ids.ts';
import { CHOSEN_PASSWORD } from './passwords.ts';
import { recordIssued } from './secrets-in-logs.ts';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  /** The HTTP response headers (absent where a response did not come over HTTP). */
  headers?: Headers;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } & Record<string, unknown> }[];
}

/** POSTs a GraphQL operation over real HTTP (to the gateway unless `url` says otherwise). */
export async function gql<T = Record<string, unknown>>(
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; url?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(options.url ?? inject('gatewayUrl'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  recordIssued(inject('issuedSecretsDir'), text);
  const body = JSON.parse(text) as GraphQLResponse<T>;
  return { ...body, status: response.status, headers: response.headers };
}

const LOGIN = `mutation Login($username: String!, $password: String!) {
  login(username: $username, password: $password) { accessToken refreshToken accessTokenExpiresAt refreshTokenExpiresAt userId }
}`;

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  userId: string;
}

export async function login(username: string, password = DEMO_PASSWORD): Promise<Tokens> {
  const res = await gql<{ login: Tokens }>(LOGIN, { username, password });
  if (!res.data?.login) throw new Error(`login as ${username} failed: ${JSON.stringify(res.errors)}`);
  return res.data.login;
}

const tokenCache = new Map<string, Promise<string>>();
/** An access token for a demo user, one login per user per test file. */
export function tokenFor(username: string): Promise<string> {
  let token = tokenCache.get(username);
  if (!token) tokenCache.set(username, (token = login(username).then((t) => t.accessToken)));
  return token;
}

export const codes = (res: Pick<GraphQLResponse<unknown>, 'errors'>) => (res.errors ?? []).map((e) => e.extensions?.code);

export { CHOSEN_PASSWORD } from './passwords.ts';

/**
 * First sign-in of a person an administrator created with a temporary password: the API allows
 * nothing but changing it, so change it; changePassword ends that first session and answers a new one.
 */
export async function activate(username: string, temporaryPassword: string): Promise<Tokens> {
  const first = await login(username, temporaryPassword);
  const changed = await gql<{ changePassword: { session: Tokens } }>(
    'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { session { accessToken refreshToken userId } } }',
    { c: temporaryPassword, n: CHOSEN_PASSWORD },
    { token: first.accessToken },
  );
  if (!changed.data?.changePassword)
    throw new Error(`changing the temporary password of ${username} failed: ${JSON.stringify(changed.errors)}`);
  return changed.data.changePassword.session;
}
