import { useState, type FormEvent } from 'react';
import { pastedSession, signIn, type Person, type Session } from './session.ts';

interface Props {
  session: Session | null;
  person: Person | null;
  /** Why the last session ended ("Your session ended…"), shown until the next sign-in. */
  notice: string | null;
  onSignIn(session: Session): void;
  onSignOut(): void;
}

/** Who is signed in (name, role, tenant, facility) with a sign-out button; else sign in, or paste an access token. */
export function SignInBar({ session, person, notice, onSignIn, onSignOut }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | null>(null);

  const attempt = async (start: () => Session | Promise<Session>) => {
    setError(null);
    try {
      onSignIn(await start());
      setPassword('');
      setPasted('');
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void attempt(() => signIn(username, password));
  };
  const paste = (event: FormEvent) => {
    event.preventDefault();
    if (pasted.trim()) void attempt(() => pastedSession(pasted.trim()));
  };

  if (session)
    return (
      <div className="pathway-bar">
        <span data-testid="signed-in" className="pathway-who">
          {person ? (
            <>
              Signed in as <strong data-testid="who-name">{person.displayName ?? person.username}</strong>
              <span data-testid="who-role">{person.roles.join(', ') || 'no role'}</span>
              <span data-testid="who-tenant">{person.tenant ?? 'no tenant'}</span>
              <span data-testid="who-facility">{person.facility ?? 'all facilities'}</span>
            </>
          ) : (
            'Signed in'
          )}
        </span>
        <span className="pathway-expiry" data-testid="session-kind">
          {session.refreshToken ? 'token refreshed automatically' : 'pasted token: ends when it expires'}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </div>
    );
  return (
    <div className="pathway-bar">
      <form onSubmit={submit}>
        <input aria-label="Username" placeholder="username" value={username} onChange={(e) => setUsername(e.target.value)} />
        <input
          aria-label="Password"
          placeholder="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit">Sign in</button>
      </form>
      <form onSubmit={paste}>
        <input
          aria-label="Access token"
          placeholder="…or paste an access token"
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
        />
        <button type="submit">Use token</button>
      </form>
      {notice && !error && (
        <span role="status" data-testid="session-ended">
          {notice}
        </span>
      )}
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
