import type { PageQuery } from '@pathway/kit';
import type { Prisma, User } from '../generated/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export interface HistoryEntry {
  tenantId: string;
  userId: string;
  actorId: string | null;
  action: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

/** The parts of an account a history entry shows before → after (never the password hash). */
export function accountSnapshot(user: User, roles?: string[]): Record<string, unknown> {
  return {
    username: user.username,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    status: user.status,
    statusReason: user.statusReason,
    residentNumber: user.docId,
    facilityId: user.homeFacilityId,
    mustChangePassword: user.mustChangePassword,
    deleted: user.deletedAt !== null,
    ...(roles ? { roles: [...roles].sort() } : {}),
  };
}

/** Only the keys that differ, so an entry reads as what changed. */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return { before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: Object.fromEntries(keys.map((k) => [k, after[k]])) };
}

/**
 * An audit entry (account history, webhook and service-account change logs) ready for Prisma: its
 * free-form before → after snapshots as JSON, which Prisma's InputJsonValue cannot infer from an object.
 */
export const withSnapshots = <E extends { before?: object | null; after?: object | null }>(entry: E) => ({
  ...entry,
  before: (entry.before ?? undefined) as Prisma.InputJsonValue | undefined,
  after: (entry.after ?? undefined) as Prisma.InputJsonValue | undefined,
});

export function recordHistory(tx: Tx, entry: HistoryEntry) {
  return tx.accountHistory.create({ data: withSnapshots(entry) });
}

/** Many entries in one statement (a bulk creation). */
export function recordHistories(tx: Tx, entries: HistoryEntry[]) {
  return tx.accountHistory.createMany({ data: entries.map(withSnapshots) });
}

export function historyOfUsers(
  tx: Tx,
  userIds: string[],
  visible: Prisma.AccountHistoryWhereInput,
  page: Pick<PageQuery, 'where' | 'orderBy'>,
) {
  return tx.accountHistory.findMany({
    where: { AND: [{ userId: { in: userIds } }, visible, page.where] },
    orderBy: page.orderBy,
  });
}
