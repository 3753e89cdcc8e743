import { IDENTITY_HEADER, isUuid, signIdentity } from '@pathway/kit';
import { ProviderError } from '../providers/errors.ts';
import type { ProviderUser } from '../providers/types.ts';

/** A Pathway person as the sync needs them. */
export interface Person {
  id: string;
  username: string;
  email: string | null;
  facilityId: string | null;
}

export type MatchedBy = 'external_id' | 'email' | 'username';

/** Who provider people are in Pathway. The sync depends on this interface; tests may stand in for it. */
export interface PersonDirectory {
  /** Each provider user that is a person of `tenantId`, and how they were recognised. */
  match(tenantId: string, users: ProviderUser[]): Promise<Map<string, { person: Person; by: MatchedBy }>>;
  /** A person of `tenantId` by id, or null. */
  person(tenantId: string, userId: string): Promise<Person | null>;
}

/** The service asking identity: reach over one tenant, and only the keys a lookup needs. */
const SERVICE_USER = '00000000-0000-0000-0000-000000000000';
const LOOKUP_PERMISSIONS = ['identity.user.read', 'identity.user.read_name', 'identity.user.list', 'identity.user.read_contact'];
const FIELDS = 'id username email facility { id }';
/** Provider users per request to identity (each asks up to three fields). */
const CHUNK = 25;

/**
 * A GraphQL string literal (JSON's escaping is valid GraphQL): literals, not variables, so the
 * lookup does not depend on how identity types its id arguments (ID or UUID).
 */
const literal = (value: string) => JSON.stringify(value);

interface Row {
  id: string;
  username: string;
  email: string | null;
  facility: { id: string } | null;
}
const toPerson = (row: Row): Person => ({ id: row.id, username: row.username, email: row.email, facilityId: row.facility?.id ?? null });

/**
 * The directory behind identity's own API (learning never reads identity's tables): a signed
 * service identity of the platform's tenant asks the identity subgraph, many people per request.
 * Matching, in order: the provider's external id (e.g. Canvas's sis_user_id) is the person's id;
 * the same email (case-insensitive); the same username. Only exact matches count.
 */
export function identityDirectory(identityUrl: string, internalSecret: string): PersonDirectory {
  async function ask(tenantId: string, query: string) {
    const token = await signIdentity(
      { userId: SERVICE_USER, tenantId, facilityId: null, roles: ['department_admin'], permissions: LOOKUP_PERMISSIONS },
      internalSecret,
    );
    let res: Response;
    try {
      res = await fetch(identityUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: token },
        body: JSON.stringify({ query }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new ProviderError('unreachable', `Pathway's identity service cannot be reached to match people (${(error as Error).message})`);
    }
    const body = (await res.json().catch(() => ({}))) as { data?: Record<string, unknown>; errors?: { message: string }[] };
    if (!res.ok || !body.data)
      throw new ProviderError('server_error', `Pathway's identity service did not answer the people lookup (HTTP ${res.status})`);
    return body.data;
  }

  return {
    async person(tenantId, userId) {
      if (!isUuid(userId)) return null;
      const data = await ask(tenantId, `{ user(id: ${literal(userId)}) { ${FIELDS} } }`);
      return data.user ? toPerson(data.user as Row) : null;
    },

    async match(tenantId, users) {
      const found = new Map<string, { person: Person; by: MatchedBy }>();
      for (let i = 0; i < users.length; i += CHUNK) {
        const chunk = users.slice(i, i + CHUNK);
        const fields: string[] = [];
        chunk.forEach((user, n) => {
          if (user.sisId && isUuid(user.sisId)) fields.push(`i${n}: user(id: ${literal(user.sisId)}) { ${FIELDS} }`);
          if (user.email) fields.push(`e${n}: users(first: 10, filter: { search: ${literal(user.email)} }) { nodes { ${FIELDS} } }`);
          if (user.username) fields.push(`u${n}: users(first: 10, filter: { search: ${literal(user.username)} }) { nodes { ${FIELDS} } }`);
        });
        if (!fields.length) continue;
        const data = await ask(tenantId, `{ ${fields.join(' ')} }`);
        chunk.forEach((user, n) => {
          const byId = data[`i${n}`] as Row | null | undefined;
          const byEmail = ((data[`e${n}`] as { nodes: Row[] } | undefined)?.nodes ?? []).find(
            (row) => row.email != null && row.email.toLowerCase() === user.email?.toLowerCase(),
          );
          const byUsername = ((data[`u${n}`] as { nodes: Row[] } | undefined)?.nodes ?? []).find(
            (row) => row.username.toLowerCase() === user.username?.toLowerCase(),
          );
          if (byId) found.set(user.externalId, { person: toPerson(byId), by: 'external_id' });
          else if (byEmail) found.set(user.externalId, { person: toPerson(byEmail), by: 'email' });
          else if (byUsername) found.set(user.externalId, { person: toPerson(byUsername), by: 'username' });
        });
      }
      return found;
    },
  };
}
