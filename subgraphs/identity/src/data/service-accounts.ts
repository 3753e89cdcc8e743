import {
  API_KEY_LAST_USED_KEY,
  apiKeyField,
  SERVICE_ACCOUNTS_KEY,
  SERVICE_ACCOUNTS_PUBLISHED_FIELD,
  serviceAccountField,
  type PageQuery,
  type PublishedApiKey,
  type PublishedServiceAccount,
  type Redis,
} from '@pathway/kit';
import type { Prisma, PrismaClient, ServiceAccount, ServiceAccountKey } from '../generated/prisma/client.ts';
import { withSnapshots } from './history.ts';

type Tx = Prisma.TransactionClient;
type AccountWithKeys = ServiceAccount & { keys: ServiceAccountKey[] };

/** `visible` in what follows: the caller's access filter (access.ts), ANDed in. */
export function listServiceAccounts(tx: Tx, visible: Prisma.ServiceAccountWhereInput, page: PageQuery) {
  return tx.serviceAccount.findMany({ where: { AND: [visible, page.where] }, orderBy: page.orderBy, take: page.take });
}

/** The account with its keys, when `visible` lets it through; locked for the rest of the transaction. */
export async function lockServiceAccount(tx: Tx, id: string, visible: Prisma.ServiceAccountWhereInput): Promise<AccountWithKeys | null> {
  const found = await tx.serviceAccount.findFirst({ where: { AND: [{ id }, visible] }, select: { id: true } });
  if (!found) return null;
  await tx.$queryRaw`SELECT id FROM service_accounts WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.serviceAccount.findUnique({ where: { id }, include: { keys: true } });
}

export const keysOfAccount = (tx: Tx, serviceAccountId: string) =>
  tx.serviceAccountKey.findMany({ where: { serviceAccountId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });

/** What a change record shows of an account (never a key or its hash). */
export const accountSnapshot = (a: ServiceAccount) => ({
  name: a.name,
  permissions: a.permissions,
  facilityId: a.facilityId,
  status: a.status,
});

export function recordServiceAccountChange(
  tx: Tx,
  entry: {
    tenantId: string;
    serviceAccountId: string;
    actorId: string | null;
    action: string;
    before?: object | null;
    after?: object | null;
  },
) {
  return tx.serviceAccountChange.create({ data: withSnapshots(entry) });
}

export function changesOfServiceAccount(tx: Tx, serviceAccountId: string, visible: Prisma.ServiceAccountChangeWhereInput, page: PageQuery) {
  return tx.serviceAccountChange.findMany({
    where: { AND: [{ serviceAccountId }, visible, page.where] },
    orderBy: page.orderBy,
    take: page.take,
  });
}

/** The directory fields of one account: its entry and its usable keys; none once revoked. */
function directoryFields(account: AccountWithKeys): string[] {
  if (account.status !== 'active') return [];
  const entry: PublishedServiceAccount = { tenantId: account.tenantId, facilityId: account.facilityId, permissions: account.permissions };
  const keys = account.keys
    .filter((k) => !k.revokedAt)
    .flatMap((k) => {
      const published: PublishedApiKey = { keyId: k.id, accountId: account.id, expiresAt: k.expiresAt?.getTime() ?? null };
      return [apiKeyField(k.keyHash), JSON.stringify(published)];
    });
  return [serviceAccountField(account.id), JSON.stringify(entry), ...keys];
}

/** Republishes one account after a change (after the commit): its old fields go, its current ones come. */
export async function publishServiceAccount(redis: Redis, account: AccountWithKeys) {
  const stale = [serviceAccountField(account.id), ...account.keys.map((k) => apiKeyField(k.keyHash))];
  const fields = directoryFields(account);
  const tx = redis.multi().hdel(SERVICE_ACCOUNTS_KEY, ...stale);
  if (fields.length) tx.hset(SERVICE_ACCOUNTS_KEY, ...fields);
  await tx.exec();
}

/** Rewrites the whole directory from the tables (at start and when Redis lost it; needs service scope). */
export async function publishServiceAccounts(db: Tx | PrismaClient, redis: Redis) {
  const accounts = await db.serviceAccount.findMany({ where: { status: 'active' }, include: { keys: true } });
  await redis
    .multi()
    .del(SERVICE_ACCOUNTS_KEY)
    .hset(SERVICE_ACCOUNTS_KEY, SERVICE_ACCOUNTS_PUBLISHED_FIELD, new Date().toISOString(), ...accounts.flatMap(directoryFields))
    .exec();
}

/** When the gateway last accepted each key (it writes these; null: never). */
export async function lastUsedOf(redis: Redis, keyIds: readonly string[]): Promise<(Date | null)[]> {
  if (!keyIds.length) return [];
  const values = await redis.hmget(API_KEY_LAST_USED_KEY, ...keyIds);
  return values.map((ms) => (ms ? new Date(Number(ms)) : null));
}
