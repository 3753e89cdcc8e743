/**
 * What went wrong talking to a provider, in words an administrator can act on. `kind` is the
 * test-connection status and what a failed sync task records; `retryable` failures are tried again
 * by providers/http.ts before they reach anyone.
 */
export type ProviderErrorKind =
  | 'unauthorized' // wrong, expired or revoked credentials
  | 'forbidden' // signed in, but the account may not read this
  | 'not_found' // no such account or course at that address
  | 'unreachable' // DNS or connection failure
  | 'timeout'
  | 'rate_limited'
  | 'server_error' // 5xx after the retries
  | 'malformed' // an answer that is not what the provider documents
  | 'refused_address' // a private or loopback address where they are not allowed
  | 'credentials_unavailable' // the stored credential cannot be opened (its key left the ring)
  | 'not_supported' // no client for this platform type yet
  | 'cancelled';

export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly retryable: boolean;
  readonly status: number | null;

  constructor(
    readonly kind: ProviderErrorKind,
    message: string,
    options: { retryable?: boolean; status?: number } = {},
  ) {
    super(message);
    this.retryable = options.retryable ?? false;
    this.status = options.status ?? null;
  }
}

/** A provider error as it is recorded and shown: its kind and message (anything else is summarised). */
export function describeProviderError(error: unknown): { kind: ProviderErrorKind | 'internal'; message: string } {
  if (error instanceof ProviderError) return { kind: error.kind, message: error.message };
  return { kind: 'internal', message: 'an unexpected error stopped the run (see the learning subgraph log)' };
}
