import type { Identity, References } from '@pathway/kit';
import { readsByCaseload, rememberCaseload } from './access.ts';

/**
 * Reads the caller's caseload from behavior (kit references `caseloads`, asked as the caller: only
 * their own) at most once per request, and only for staff (`readsByCaseload`): everyone else's
 * reservation reads never wait on behavior. Call it before a reservation read, outside its
 * transaction. When behavior cannot be asked the read fails SERVICE_UNAVAILABLE (the kit's lookup
 * error) rather than showing staff a list quietly narrowed to their own.
 */
export function caseloadReader(identity: Identity | null, refs: References): () => Promise<void> {
  let read: Promise<void> | undefined;
  return () => {
    if (!identity || !readsByCaseload(identity)) return Promise.resolve();
    read ??= refs.caseloads([identity.userId]).then((found) => rememberCaseload(identity, found.get(identity.userId)?.residentIds ?? []));
    return read;
  };
}
