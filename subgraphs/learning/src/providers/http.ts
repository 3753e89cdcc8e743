import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isPrivateHost, publicOnlyLookup } from '@pathway/kit';
import { ProviderError } from './errors.ts';

/** How requests to one provider behave (from the PROVIDER_* settings). */
export interface HttpPolicy {
  timeoutMs: number;
  /** Tries per request for retryable failures (timeouts, connection errors, 429, 5xx). */
  maxAttempts: number;
  /** First retry delay; doubled per try, with full jitter; a Retry-After header overrides it. */
  backoffMs: number;
  allowPrivateNetworks: boolean;
  /** Aborts waiting and requests (a cancelled sync, a shutting-down worker). */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A page bigger than this is refused as malformed rather than held in memory. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Longest wait a provider's Retry-After may ask for before the call fails instead. */
const MAX_RETRY_AFTER_MS = 120_000;

/** Waits `ms`; a cancelled call stops waiting at once (ProviderError `cancelled`). */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const cancelled = () => new ProviderError('cancelled', 'the call was cancelled');
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(cancelled())), { once: true });
  });

/** Seconds or an HTTP date (RFC 9110), as milliseconds from now; null when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return null;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Full jitter: a random delay up to the exponential bound, so many clients don't retry in step. */
export const backoffDelay = (policy: Pick<HttpPolicy, 'backoffMs'>, attempt: number, random = Math.random) =>
  Math.round(random() * policy.backoffMs * 2 ** (attempt - 1));

function once(
  url: URL,
  init: { method: string; headers: Record<string, string>; body?: string },
  policy: HttpPolicy,
): Promise<HttpResponse> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const signal = policy.signal
      ? AbortSignal.any([policy.signal, AbortSignal.timeout(policy.timeoutMs)])
      : AbortSignal.timeout(policy.timeoutMs);
    const req = request(
      url,
      {
        method: init.method,
        headers: { accept: 'application/json', 'user-agent': 'Pathway-Learning/1', ...init.headers },
        // Names are resolved again at connect time, so one re-pointed at a private address is refused.
        lookup: policy.allowPrivateNetworks ? undefined : publicOnlyLookup(),
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) req.destroy(new ProviderError('malformed', `the answer of ${url.pathname} is larger than 16 MB`));
          else chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof ProviderError) return reject(error);
      if (policy.signal?.aborted) return reject(new ProviderError('cancelled', 'the call was cancelled'));
      if (error.name === 'TimeoutError' || error.name === 'AbortError')
        return reject(new ProviderError('timeout', `${url.host} did not answer within ${policy.timeoutMs} ms`, { retryable: true }));
      if (error.code === 'EPRIVATEADDRESS')
        return reject(new ProviderError('refused_address', `${url.hostname} resolves to a private address`));
      reject(new ProviderError('unreachable', `${url.host} cannot be reached (${error.code ?? error.message})`, { retryable: true }));
    });
    req.end(init.body);
  });
}

/**
 * One call to a provider with retries: timeouts, connection errors, 429 and 5xx are tried again
 * (after the provider's Retry-After when it sends one, else exponential backoff with jitter) up
 * to `maxAttempts`; other statuses are answered to the caller, who knows what they mean.
 */
export async function providerRequest(
  url: URL,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  policy: HttpPolicy,
  isThrottled: (res: HttpResponse) => boolean = (res) => res.status === 429,
): Promise<HttpResponse> {
  if (!policy.allowPrivateNetworks && isPrivateHost(url.hostname))
    throw new ProviderError('refused_address', `${url.hostname} is a private or loopback address`);
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= policy.maxAttempts;
    let res: HttpResponse;
    try {
      res = await once(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, body: init.body }, policy);
    } catch (error) {
      if (!(error instanceof ProviderError) || !error.retryable || last) throw error;
      await sleep(backoffDelay(policy, attempt), policy.signal);
      continue;
    }
    const throttled = isThrottled(res);
    if (!throttled && res.status < 500) return res;
    if (last) {
      if (throttled)
        throw new ProviderError('rate_limited', `${url.host} kept refusing calls as too many (HTTP ${res.status}) after ${attempt} tries`);
      throw new ProviderError('server_error', `${url.host} answered HTTP ${res.status} to ${url.pathname} after ${attempt} tries`, {
        status: res.status,
      });
    }
    const asked = retryAfterMs(res.headers['retry-after']);
    if (asked !== null && asked > MAX_RETRY_AFTER_MS)
      throw new ProviderError('rate_limited', `${url.host} asked to wait ${Math.round(asked / 1000)} s before calling again`);
    await sleep(asked ?? backoffDelay(policy, attempt), policy.signal);
  }
}
