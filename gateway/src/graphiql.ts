import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

const dist = path.resolve(import.meta.dirname, '../graphiql/dist');

/**
 * GraphiQL for browsers at `/graphql` (the bundle built by `build:graphiql`, served from this
 * gateway: no CDN). API clients posting to `/graphql` are not affected: only a browser GET that
 * asks for HTML gets the page.
 */
export function serveGraphiQL(app: Express): void {
  app.use('/graphiql', express.static(dist, { maxAge: '1h', index: false }));
  // Browsers ask for /favicon.ico whatever the page says.
  app.get('/favicon.ico', (_req, res) => res.redirect(301, '/graphiql/favicon.svg'));
  app.get('/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'text/html']) !== 'text/html') return next();
    if (!existsSync(path.join(dist, 'index.html'))) {
      res
        .status(503)
        .type('text/plain')
        .send('GraphiQL is not built. Run `pnpm --filter @pathway/gateway build:graphiql` (pnpm install does it).');
      return;
    }
    res.sendFile(path.join(dist, 'index.html'));
  });
}
