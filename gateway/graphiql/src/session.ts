// The signed-in person's tokens, kept for this browser tab only (sessionStorage), and the calls that
// sign in, refresh and sign out. A pasted access token has no refresh token: it ends when it expires.
const KEY = 'pathway.session';

export interface Session {
  accessToken: string;
  /** Null for a pasted access token. */
  refreshToken: string | null;
  /** When the access token expires (epoch ms). */
  expiresAt: number;
}

/** Who is signed in, as the bar shows them. */
export interface Person {
  displayName: string | null;
  username: string;
  roles: string[];
  tenant: string | null;
  facility: string | null;
}

export const currentSession = (): Session | null => {
  const stored = sessionStorage.getItem(KEY);
  return stored ? (JSON.parse(stored) as Session) : null;
};
export const saveSession = (session: Session | null) =>
  session ? sessionStorage.setItem(KEY, JSON.stringify(session)) : sessionStorage.removeItem(KEY);

export interface Answer<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export async function post<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<Answer<T>> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as Answer<T>;
}

interface TokenPair {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}
const PAIR = 'accessToken accessTokenExpiresAt refreshToken';
const toSession = (pair: TokenPair): Session => ({
  accessToken: pair.accessToken,
  refreshToken: pair.refreshToken,
  expiresAt: Date.parse(pair.accessTokenExpiresAt),
});

export async function signIn(username: string, password: string): Promise<Session> {
  const body = await post<{ login: TokenPair }>(
    `mutation SignIn($username: String!, $password: String!) { login(username: $username, password: $password) { ${PAIR} } }`,
    { username, password },
  );
  if (!body.data?.login) throw new Error(body.errors?.[0]?.message ?? 'Sign-in failed.');
  return toSession(body.data.login);
}

/** A fresh pair for the session's refresh token (which is retired), or null when the session has ended. */
export async function refresh(session: Session): Promise<Session | null> {
  if (!session.refreshToken) return null;
  const body = await post<{ refresh: TokenPair }>(`mutation Refresh($token: String!) { refresh(refreshToken: $token) { ${PAIR} } }`, {
    token: session.refreshToken,
  });
  return body.data?.refresh ? toSession(body.data.refresh) : null;
}

export async function signOut(session: Session): Promise<void> {
  if (session.refreshToken)
    await post('mutation SignOut($token: String!) { logout(refreshToken: $token) }', { token: session.refreshToken }).catch(() => {});
}

/** A pasted access token: its expiry read from the JWT's `exp` (the gateway verifies it; this only schedules the end). */
export function pastedSession(accessToken: string): Session {
  const payload = accessToken.split('.')[1];
  if (!payload) throw new Error('That is not an access token (a JWT: three parts separated by dots).');
  const { exp } = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
  if (typeof exp !== 'number') throw new Error('That access token has no expiry.');
  return { accessToken, refreshToken: null, expiresAt: exp * 1000 };
}

/** Who the token belongs to, or null when the gateway refuses it. */
export async function whoAmI(session: Session): Promise<Person | null> {
  const body = await post<{
    me: {
      displayName: string | null;
      username: string;
      roles: string[] | null;
      tenant: { name: string | null } | null;
      facility: { name: string } | null;
    } | null;
  }>('query WhoAmI { me { displayName username roles tenant { name } facility { name } } }', {}, session.accessToken);
  const me = body.data?.me;
  if (!me) return null;
  return {
    displayName: me.displayName,
    username: me.username,
    roles: me.roles ?? [],
    tenant: me.tenant?.name ?? null,
    facility: me.facility?.name ?? null,
  };
}

/**
 * When to refresh: a minute before expiry, or a third of the lifetime before it for short-lived
 * tokens (a 30-second token is refreshed after 20 s), so a request never goes out with a dead token.
 */
export function refreshDelay(session: Session, now = Date.now()): number {
  const left = session.expiresAt - now;
  return Math.max(0, left - Math.min(60_000, left / 3));
}
