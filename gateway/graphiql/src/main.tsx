import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createClient } from 'graphql-ws';
import { useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { exampleTabs } from './operations.ts';
import { currentToken } from './session.ts';
import { SignInBar } from './SignInBar.tsx';
import './style.css';

function App() {
  const [token, setToken] = useState(currentToken());
  // Queries over HTTP, subscriptions over graphql-ws on the same URL; both carry the token.
  const wsClient = useMemo(
    () =>
      createClient({
        url: `${location.origin.replace(/^http/, 'ws')}/graphql`,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        lazy: true,
      }),
    [token],
  );
  useEffect(() => () => void wsClient.dispose(), [wsClient]);
  const fetcher = useMemo(
    () =>
      createGraphiQLFetcher({ url: `${location.origin}/graphql`, headers: token ? { authorization: `Bearer ${token}` } : {}, wsClient }),
    [token, wsClient],
  );
  return (
    <div className="pathway-app">
      <SignInBar token={token} onToken={setToken} />
      <GraphiQL key={token ?? 'anonymous'} fetcher={fetcher} defaultTabs={exampleTabs} defaultEditorToolsVisibility="variables" />
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
