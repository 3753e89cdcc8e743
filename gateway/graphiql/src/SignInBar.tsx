import { useState, type FormEvent } from 'react';
import { saveToken, signIn } from './session.ts';

interface Props {
  token: string | null;
  onToken(token: string | null): void;
}

/** Sign in with a username and password, or paste an access token. */
export function SignInBar({ token, onToken }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | null>(null);

  const use = (next: string | null) => {
    saveToken(next);
    onToken(next);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      use(await signIn(username, password));
      setPassword('');
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (token)
    return (
      <div className="pathway-bar">
        <span data-testid="signed-in">Signed in</span>
        <button type="button" onClick={() => use(null)}>
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
      <form onSubmit={(e) => (e.preventDefault(), pasted.trim() && use(pasted.trim()))}>
        <input
          aria-label="Access token"
          placeholder="…or paste an access token"
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
        />
        <button type="submit">Use token</button>
      </form>
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
