import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin } from '@apollo/server';
import { appError, hasPermission, type NodeMiddleware } from '@pathway/kit';
import type { GatewayContext } from './data-source.ts';

/** Callers holding this may send any document even when only registered ones run (analysts in GraphiQL). */
export const FREEFORM_PERMISSION = 'gateway.operation.freeform';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The apps' registered operations by the SHA-256 of their exact text (the hash an app sends instead
 * of the text), from the manifest `pnpm compose` builds and validates against the supergraph
 * (Apollo's persisted query manifest format). The hash is recomputed: an edited body is not trusted.
 */
export function loadTrustedDocuments(file = path.resolve(import.meta.dirname, '../trusted-documents/manifest.json')): Map<string, string> {
  const { operations } = JSON.parse(readFileSync(file, 'utf8')) as { operations: { id: string; body: string }[] };
  return new Map(operations.filter((o) => sha256(o.body) === o.id).map((o) => [o.id, o.body]));
}

/**
 * An app may send only the hash of a registered operation (`extensions.persistedQuery.sha256Hash`
 * or `documentId`): the text is filled in here, before automatic persisted queries look for it.
 */
export function fillRegisteredDocuments(manifest: Map<string, string>): NodeMiddleware {
  return (req, _res, next) => {
    const body = (req as { body?: unknown }).body as
      { query?: string; documentId?: string; extensions?: { persistedQuery?: { sha256Hash?: string } } } | undefined;
    const hash = body?.documentId ?? body?.extensions?.persistedQuery?.sha256Hash;
    if (body && !body.query && hash && manifest.has(hash)) body.query = manifest.get(hash);
    next();
  };
}

/** With `enforce`, a document that is not registered runs only for callers allowed free-form operations. */
export function trustedDocumentsPlugin(manifest: Map<string, string>, mode: 'enforce' | 'off'): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ source, contextValue }) {
          if (mode !== 'enforce' || manifest.has(sha256(source)) || hasPermission(contextValue.identity, FREEFORM_PERMISSION)) return;
          throw appError('PERSISTED_QUERY_NOT_IN_LIST', 'Only registered operations run here. Send the hash of one of the app operations.');
        },
      };
    },
  };
}
