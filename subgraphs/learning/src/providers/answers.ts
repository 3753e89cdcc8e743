import type { z } from 'zod';
import { ProviderError } from './errors.ts';
import type { HttpResponse } from './http.ts';

/**
 * A provider's answer read the way every client here reads it: the documented error statuses as
 * error kinds (401 unauthorized, 403 forbidden, 404 not_found, other non-2xx server_error), then
 * JSON, then the documented shape (zod), naming the first thing that does not fit. `who` names the
 * platform in messages ("Canvas", "Brightspace", "Kolibri").
 */
export function answerOf<T>(
  res: HttpResponse,
  url: URL,
  schema: z.ZodType<T>,
  who: string,
  hints: { notFound?: string; credentials?: string } = {},
): T {
  if (res.status === 401)
    throw new ProviderError('unauthorized', `${who} refused the ${hints.credentials ?? 'credentials'} (wrong, expired or revoked)`, {
      status: 401,
    });
  if (res.status === 403)
    throw new ProviderError('forbidden', `the ${hints.credentials ?? 'credentials'} may not read ${url.pathname}`, { status: 403 });
  if (res.status === 404)
    throw new ProviderError('not_found', `${who} has no ${url.pathname}${hints.notFound ? ` (${hints.notFound})` : ''}`, { status: 404 });
  if (res.status < 200 || res.status >= 300)
    throw new ProviderError('server_error', `${who} answered HTTP ${res.status} to ${url.pathname}`, { status: res.status });
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw new ProviderError('malformed', `${who}'s answer to ${url.pathname} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ProviderError(
      'malformed',
      `${who}'s answer to ${url.pathname} is not as documented: ${issue.path.join('.') || 'body'} ${issue.message}`,
    );
  }
  return parsed.data;
}
