import { request as httpRequest } from 'node:http';
import { request } from 'node:https';
import { publicOnlyLookup, isPrivateHost } from '@pathway/kit';

export interface PostOptions {
  timeoutMs: number;
  /** Trusted CAs (Node's roots plus WEBHOOK_CA_FILE's) or undefined for Node's defaults. */
  ca?: string[];
  allowPrivateNetworks: boolean;
}

export interface PostResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
}

/**
 * POSTs one delivery over HTTPS (plain http only to a private address, where allowed: endpoints.ts).
 * Never follows redirects; 2xx is success, anything else a failure to retry.
 */
export function postWebhook(url: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostResult> {
  const target = new URL(url);
  if (!options.allowPrivateNetworks && isPrivateHost(target.hostname))
    return Promise.resolve({ ok: false, statusCode: null, error: 'private address refused' });
  const plain = target.protocol === 'http:';
  if (plain && !(options.allowPrivateNetworks && isPrivateHost(target.hostname)))
    return Promise.resolve({ ok: false, statusCode: null, error: 'plain http refused' });
  return new Promise((resolve) => {
    const req = (plain ? httpRequest : request)(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Pathway-Webhooks/1',
          ...headers,
        },
        ca: options.ca,
        lookup: options.allowPrivateNetworks ? undefined : publicOnlyLookup(),
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        res.resume(); // the receiver's answer body is not kept
        const ok = !!res.statusCode && res.statusCode >= 200 && res.statusCode < 300;
        res.on('end', () => resolve({ ok, statusCode: res.statusCode ?? null, error: ok ? null : `HTTP ${res.statusCode}` }));
        res.on('error', (error) => resolve({ ok: false, statusCode: res.statusCode ?? null, error: error.message }));
      },
    );
    req.on('error', (error) =>
      resolve({
        ok: false,
        statusCode: null,
        error: error.name === 'AbortError' || error.name === 'TimeoutError' ? `timed out after ${options.timeoutMs} ms` : error.message,
      }),
    );
    req.end(body);
  });
}
