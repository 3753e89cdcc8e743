import { createGraphiQLFetcher, type Fetcher, type Storage } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createClient, type Client } from 'graphql-ws';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { describingRequirements } from './docs-permissions.ts';
import { examplesFor, loadExamples, tabsOf } from './examples.ts';
import { currentSession, post, refresh, refreshDelay, saveSession, signOut, whoAmI, type Person, type Session } from './session.ts';
import { SignInBar } from './SignInBar.tsx';
import { CallContext, workspacePlugin, type Call } from './Workspace.tsx';
import './style.css';

const examples = loadExamples(import.meta.glob('../operations/**/*.graphql', { query: '?raw', import: 'default', eager: true }));
const plugins = [workspacePlugin];
const clock = (ms: number) => new Date(ms).toLocaleTimeString();

/**
 * GraphiQL's own storage (tabs, pane sizes), one namespace per set of roles, so an administrator's
 * tabs never open for an analyst in the same browser. The editor starts wider than the result
 * (flex 1.8 : 1) so the examples fit.
 */
function storageFor(namespace: string): Storage {
  const key = (k: string) => `pathway:${namespace}:${k}`;
  return {
    getItem: (k) => localStorage.getItem(key(k)) ?? (k === 'graphiql:editorFlex' ? '1.8' : null),
    setItem: (k, v) => localStorage.setItem(key(k), v),
    removeItem: (k) => localStorage.removeItem(key(k)),
    clear: () => Object.keys(localStorage).forEach((k) => k.startsWith(key('')) && localStorage.removeItem(k)),
    get length() {
      return Object.keys(localStorage).filter((k) => k.startsWith(key(''))).length;
    },
  };
}

const hasCode = (result: unknown, code: string) =>
  (result as { errors?: { extensions?: { code?: string } }[] } | null)?.errors?.some((e) => e.extensions?.code === code) ?? false;

function App() {
  const [session, setSession] = useState(currentSession);
  const [person, setPerson] = useState<Person | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Requests read the token when they go out, so a refresh never remounts the editor.
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const keep = useCallback((next: Session) => {
    saveSession(next);
    sessionRef.current = next;
    setSession(next);
  }, []);
  const end = useCallback((why: string | null) => {
    saveSession(null);
    sessionRef.current = null;
    setSession(null);
    setPerson(null);
    setNotice(why);
  }, []);
  const sessionEnded = useCallback(
    () =>
      end(
        `Your session ended at ${clock(Date.now())}: the gateway no longer accepts it (signed out elsewhere, expired or revoked). Sign in again.`,
      ),
    [end],
  );

  // Who is signed in, once per sign-in.
  const signedIn = session !== null;
  useEffect(() => {
    const current = sessionRef.current;
    if (!current) return;
    void whoAmI(current).then((who) => (who ? setPerson(who) : sessionEnded()));
  }, [signedIn, sessionEnded]);

  // Refresh before the access token expires; a pasted token (no refresh token) ends when it expires.
  useEffect(() => {
    if (!session) return;
    if (!session.refreshToken) {
      const timer = setTimeout(
        () => end(`The pasted access token expired at ${clock(session.expiresAt)}. Sign in again.`),
        session.expiresAt - Date.now(),
      );
      return () => clearTimeout(timer);
    }
    const timer = setTimeout(
      () => void refresh(session).then((next) => (next ? keep(next) : sessionEnded()), sessionEnded),
      refreshDelay(session),
    );
    return () => clearTimeout(timer);
  }, [session, keep, end, sessionEnded]);

  /** A query answered UNAUTHENTICATED while signed in: refresh once; if that fails too, the session is over. */
  const recover = useCallback(async () => {
    const current = sessionRef.current;
    const next = current ? await refresh(current).catch(() => null) : null;
    if (next) keep(next);
    else if (current) sessionEnded();
  }, [keep, sessionEnded]);

  const authorization = (): Record<string, string> =>
    sessionRef.current ? { authorization: `Bearer ${sessionRef.current.accessToken}` } : {};

  // One socket per sign-in; it sends the current token when it (re)connects, and reconnects when the
  // gateway closes it because the token it started with expired (4401).
  const signInId = person?.username ?? (signedIn ? 'pending' : 'anonymous');
  const wsClient = useMemo<Client>(
    () =>
      createClient({
        url: `${location.origin.replace(/^http/, 'ws')}/graphql`,
        connectionParams: authorization,
        lazy: true,
        retryAttempts: 3,
        shouldRetry: (event) => (event as CloseEvent | null)?.code === 4401 || (event as CloseEvent | null)?.code === 1012,
      }),
    [signInId],
  );
  useEffect(() => () => void wsClient.dispose(), [wsClient]);

  const fetcher = useMemo<Fetcher>(() => {
    const base = createGraphiQLFetcher({
      url: `${location.origin}/graphql`,
      wsClient,
      fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...authorization() } }),
    });
    const watching: Fetcher = (params, options) => {
      const result = base(params, options);
      if (result instanceof Promise)
        void result.then(
          (answer) => void (sessionRef.current && hasCode(answer, 'UNAUTHENTICATED') && recover()),
          () => {},
        );
      return result;
    };
    return describingRequirements(watching);
  }, [wsClient, recover]);

  const call = useCallback<Call>((query, variables = {}) => post(query, variables, sessionRef.current?.accessToken), []);

  const roles = person?.roles ?? [];
  const shown = examplesFor(examples, roles);
  const namespace = roles.length ? [...roles].sort().join('+') : 'anonymous';
  const storage = useMemo(() => storageFor(namespace), [namespace]);
  return (
    <CallContext.Provider value={signedIn ? call : null}>
      <div className="pathway-app">
        <SignInBar
          session={session}
          person={person}
          notice={notice}
          onSignIn={(next) => {
            keep(next);
            setNotice(null);
          }}
          onSignOut={() => {
            if (session) void signOut(session);
            end('Signed out.');
          }}
        />
        {/* Remounted when the person's roles change: their own example tabs and stored state. */}
        <GraphiQL
          key={namespace}
          fetcher={fetcher}
          storage={storage}
          defaultTabs={tabsOf(shown)}
          plugins={plugins}
          defaultEditorToolsVisibility="variables"
        />
      </div>
    </CallContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
