import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http.ts';
import { appError, badInput, forbidden, notFound } from './errors.ts';
import { isUuid } from './ids.ts';
import { IDENTITY_HEADER, verifyIdentity, type Identity, type Role } from './identity.ts';
import type { Logger } from './logger.ts';
import { matchesWhere } from './access.ts';
import { reachFilter, reachOf } from './scope.ts';
import { REQUEST_ID_HEADER, currentRequestId } from './request-context.ts';
import { traceHeaderRecord } from './tracing.ts';

// A subgraph cannot read another's tables, yet every id a write receives must name something real,
// in the caller's scope, of the right kind. So the owner of people (identity), of facilities
// (campus) and of caseloads (behavior) answers lookups by id over an internal route, `POST /internal/lookup/<kind>`, which the
// gateway never exposes. The calling subgraph forwards the caller's own signed identity header, so
// the owner's Row-Level Security applies: another tenant's ids come back as nothing. Lookups are
// always current (no projection to fall behind); the price is that a write naming a person needs
// identity to be up (otherwise SERVICE_UNAVAILABLE, and nothing is changed).

export const LOOKUP_PATH = '/internal/lookup';

/** A person as identity vouches for them. */
export interface PersonRef {
  id: string;
  tenantId: string;
  facilityId: string | null;
  roles: Role[];
  status: 'active' | 'inactive' | 'suspended' | 'deactivated';
}

/**
 * The names a person reads in a report (a roster's CSV): only what the caller may see of people
 * within their reach, as identity's field rules say (name: identity.user.read_name; resident
 * number: identity.user.read_resident_number; both for oneself); null where not.
 */
export interface PersonNames {
  id: string;
  displayName: string | null;
  residentNumber: string | null;
}

/** A facility as campus vouches for it. */
export interface FacilityRef {
  id: string;
  tenantId: string;
  name: string;
  timezone: string;
}

/** What a person says of themself in their profile (identity's Mongo profile): only ever the caller's own. */
export interface ProfileRef {
  id: string;
  skills: string[];
  interests: string[];
  goals: string[];
}

/** The active programs a facility offers, as campus knows them (`id` is the facility's). */
export interface FacilityProgramsRef {
  id: string;
  programs: { id: string; name: string; description: string | null; programTypes: string[] }[];
}

/**
 * A staff member's caseload as behavior keeps it (`id` is the staff member's user id): the user ids
 * of the students assigned to them who sign in as residents (students without an account are left
 * out). Behavior answers a caller about their own caseload only, administrators about staff of their reach.
 */
export interface CaseloadRef {
  id: string;
  residentIds: string[];
}

export interface ReferenceKinds {
  people: PersonRef;
  names: PersonNames;
  facilities: FacilityRef;
  profiles: ProfileRef;
  facilityPrograms: FacilityProgramsRef;
  caseloads: CaseloadRef;
}
export type LookupKind = keyof ReferenceKinds;

/** What an owning subgraph serves: the rows of `ids` the identity's tenant scope holds. */
export type Lookups = { [K in LookupKind]?: (identity: Identity, ids: string[]) => Promise<ReferenceKinds[K][]> };

/** Where each kind is looked up: its owner's base URL (from IDENTITY_URL / CAMPUS_URL / BEHAVIOR_URL, `/graphql` dropped). */
export interface ReferenceUrls {
  identity: string;
  campus: string;
  behavior: string;
}

const OWNER: Record<LookupKind, keyof ReferenceUrls> = {
  people: 'identity',
  names: 'identity',
  facilities: 'campus',
  profiles: 'identity',
  facilityPrograms: 'campus',
  caseloads: 'behavior',
};
const LOOKUP_TIMEOUT_MS = 5_000;
export const MAX_LOOKUP_IDS = 500;

/** Lookups for one request, made as its caller (the signed identity header it came with). */
export class References {
  constructor(
    private readonly urls: ReferenceUrls,
    private readonly identityToken: string | null,
    private readonly log: Logger,
  ) {}

  async people(ids: readonly string[]): Promise<Map<string, PersonRef>> {
    return this.lookup('people', ids);
  }

  async facilities(ids: readonly string[]): Promise<Map<string, FacilityRef>> {
    return this.lookup('facilities', ids);
  }

  /** Profiles by user id: identity answers only the caller's own (a person's stated skills, interests, goals). */
  async profiles(ids: readonly string[]): Promise<Map<string, ProfileRef>> {
    return this.lookup('profiles', ids);
  }

  /** The programs offered at facilities (campus, within the caller's tenant). */
  async facilityPrograms(ids: readonly string[]): Promise<Map<string, FacilityProgramsRef>> {
    return this.lookup('facilityPrograms', ids);
  }

  /** Staff members' caseloads by their user id (behavior: the caller's own, unless an administrator asks). */
  async caseloads(ids: readonly string[]): Promise<Map<string, CaseloadRef>> {
    return this.lookup('caseloads', ids);
  }

  /** The names of people for a report, as many as there are (asked 500 at a time). */
  async names(ids: readonly string[]): Promise<Map<string, PersonNames>> {
    const wanted = [...new Set(ids)];
    const found = new Map<string, PersonNames>();
    for (let i = 0; i < wanted.length; i += MAX_LOOKUP_IDS)
      for (const [id, row] of await this.lookup('names', wanted.slice(i, i + MAX_LOOKUP_IDS))) found.set(id, row);
    return found;
  }

  private async lookup<K extends LookupKind>(kind: K, ids: readonly string[]): Promise<Map<string, ReferenceKinds[K]>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0 || !this.identityToken) return new Map();
    const owner = OWNER[kind];
    const url = `${this.urls[owner].replace(/\/graphql\/?$/, '')}${LOOKUP_PATH}/${kind}`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: this.identityToken,
          // The write's request id and trace go on to the owner, so its log lines and spans join this request's.
          [REQUEST_ID_HEADER]: currentRequestId() ?? '',
          ...traceHeaderRecord(),
        },
        body: JSON.stringify({ ids: wanted }),
        signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`${owner} answered HTTP ${response.status}`);
      const rows = (await response.json()) as ReferenceKinds[K][];
      return new Map(rows.map((row) => [row.id, row]));
    } catch (error) {
      this.log.warn({ err: error, kind, owner }, 'reference lookup failed');
      throw appError('SERVICE_UNAVAILABLE', `Could not ask ${owner} about the ${kind} just now; nothing was changed. Try again shortly.`, {
        serviceName: owner,
        // The gateway sets serviceName to the subgraph that answered; the owner it could not ask stays here.
        unavailableService: owner,
        retryAfterSeconds: 2,
      });
    }
  }
}

export interface PeopleRule {
  /** The argument the ids came in, named in errors (`userIds`, `toUserId`). */
  field: string;
  /** Each person must hold one of these roles (else BAD_USER_INPUT: a staff member is not a resident). */
  roles?: readonly Role[];
  /** Each person must belong to this facility (else BAD_USER_INPUT naming them). */
  facilityId?: string;
  /** Refuse people whose account is not active (default true). */
  activeOnly?: boolean;
  /** Whose people may be named: within the caller's reach (default), or anyone of the caller's tenant. */
  within?: 'reach' | 'tenant';
}

/**
 * The people `ids` name, checked for a write by `identity`: each must exist in the caller's tenant
 * (NOT_FOUND otherwise: another tenant's person looks like nobody), lie within the caller's reach
 * (FORBIDDEN), be active and hold the role and facility the write needs (BAD_USER_INPUT).
 */
export async function requirePeople(refs: References, identity: Identity, ids: readonly string[], rule: PeopleRule): Promise<PersonRef[]> {
  const found = await refs.people(ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length === 1) throw notFound(`The person ${missing[0]} (\`${rule.field}\`)`);
  if (missing.length) throw appError('NOT_FOUND', `The people ${missing.join(', ')} (\`${rule.field}\`) were not found.`);
  const people = ids.map((id) => found.get(id)!);
  const outside = people.filter((p) =>
    rule.within === 'tenant'
      ? p.tenantId !== identity.tenantId && reachOf(identity) !== 'system'
      : !withinReach(identity, p.tenantId, p.facilityId),
  );
  if (outside.length) throw forbidden(`${describe(outside)} outside your facility; you may not name them here.`);
  const problems: Record<string, string> = {};
  people.forEach((person, i) => {
    const key = ids.length > 1 ? `${rule.field}.${i}` : rule.field;
    if ((rule.activeOnly ?? true) && person.status !== 'active') problems[key] = `is ${person.status}, not active`;
    else if (rule.roles && !person.roles.some((r) => rule.roles!.includes(r))) problems[key] = `is not a ${rule.roles.join(' or ')}`;
    else if (rule.facilityId && person.facilityId !== rule.facilityId) problems[key] = 'belongs to another facility';
  });
  if (Object.keys(problems).length) throw badInput(`Some of \`${rule.field}\` cannot be used here.`, problems);
  return people;
}

/** The facility `id` names, for a write by `identity`: NOT_FOUND when unknown (or another tenant's), FORBIDDEN outside the caller's reach. */
export async function requireFacility(refs: References, identity: Identity, id: string, field = 'facilityId'): Promise<FacilityRef> {
  const facility = (await refs.facilities([id])).get(id);
  if (!facility) throw notFound(`The facility (\`${field}\`)`);
  if (!withinReach(identity, facility.tenantId, facility.id)) throw forbidden('That facility is outside your reach.');
  return facility;
}

/** Within the caller's reach, by the same rule lists and loaders filter with (scope.ts `reachFilter`). */
const withinReach = (identity: Identity, tenantId: string, facilityId: string | null) =>
  matchesWhere(reachFilter(identity), { tenantId, facilityId }) === true;

const describe = (people: PersonRef[]) => (people.length === 1 ? `The person ${people[0]!.id} is` : `${people.length} of the people are`);

/**
 * The owner's side: `POST /internal/lookup/<kind>` with `{ ids }`, answered as the caller in the
 * forwarded identity header (401 without a valid one), with the rows its tenant scope holds.
 */
export function lookupHandler(
  lookups: Lookups,
  secret: string,
  log: Logger,
): (kind: string, req: IncomingMessage & { body?: unknown }, res: ServerResponse) => Promise<void> {
  return async (kind, req, res) => {
    const lookup = Object.hasOwn(lookups, kind) ? lookups[kind as LookupKind] : undefined;
    if (!lookup) return sendJson(res, 404, { error: 'no such lookup' });
    let identity: Identity;
    try {
      identity = await verifyIdentity(String(req.headers[IDENTITY_HEADER] ?? ''), secret);
    } catch {
      return sendJson(res, 401, { error: 'a valid identity header is required' });
    }
    const ids: unknown = (req.body as { ids?: unknown } | undefined)?.ids;
    if (!Array.isArray(ids) || ids.length > MAX_LOOKUP_IDS || !ids.every((id) => typeof id === 'string'))
      return sendJson(res, 400, { error: `ids must be a list of at most ${MAX_LOOKUP_IDS} strings` });
    try {
      sendJson(res, 200, await lookup(identity, ids.filter(isUuid)));
    } catch (error) {
      log.error({ err: error, kind }, 'reference lookup failed');
      sendJson(res, 500, { error: 'lookup failed' });
    }
  };
}
