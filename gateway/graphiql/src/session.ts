// The signed-in person's access token, kept for this browser tab only.
const KEY = 'pathway.accessToken';

export const currentToken = (): string | null => sessionStorage.getItem(KEY);
export const saveToken = (token: string | null) => (token ? sessionStorage.setItem(KEY, token) : sessionStorage.removeItem(KEY));

export async function signIn(username: string, password: string): Promise<string> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation SignIn($username: String!, $password: String!) { login(username: $username, password: $password) { accessToken } }',
      variables: { username, password },
    }),
  });
  const body = (await response.json()) as { data?: { login: { accessToken: string } } | null; errors?: { message: string }[] };
  if (!body.data?.login) throw new Error(body.errors?.[0]?.message ?? 'Sign-in failed.');
  return body.data.login.accessToken;
}
