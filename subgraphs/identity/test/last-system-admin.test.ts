import { describe, expect, it } from 'vitest';
import type { Prisma } from '../src/generated/prisma/client.ts';
import type { UserWithRoles } from '../src/data/users.ts';
import { assertNotLastSystemAdmin } from '../src/writes/guards.ts';

// The rule that the last active system administrator keeps the role. Decided here on a stand-in
// transaction: through the shared test stack, any other file's system administrator (the permission
// matrix makes one) would let the demotion through and take the demo administrator's rights from
// every file after it.
function transaction(otherAdmins: number) {
  const asked: unknown[] = [];
  const tx = {
    $queryRaw: async () => [],
    user: {
      count: async (args: unknown) => {
        asked.push(args);
        return otherAdmins;
      },
    },
  } as unknown as Prisma.TransactionClient;
  return { tx, asked };
}
const admin = (over: Partial<{ status: string; role: string }> = {}) =>
  ({
    id: 'admin-1',
    status: over.status ?? 'active',
    roles: [{ role: { name: over.role ?? 'system_admin' } }],
  }) as unknown as UserWithRoles;

describe('the last active system administrator', () => {
  it('is refused with CONFLICT LAST_SYSTEM_ADMIN when nobody else holds the role', async () => {
    const { tx, asked } = transaction(0);
    await expect(assertNotLastSystemAdmin(tx, admin())).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', reason: 'LAST_SYSTEM_ADMIN' },
    });
    // Counted among the others: active, not deleted, holding the role, not this person.
    expect(asked).toEqual([
      { where: { id: { not: 'admin-1' }, status: 'active', deletedAt: null, roles: { some: { role: { name: 'system_admin' } } } } },
    ]);
  });

  it('may be demoted while another active system administrator exists, and others are never counted', async () => {
    await expect(assertNotLastSystemAdmin(transaction(1).tx, admin())).resolves.toBeUndefined();
    const notAdmin = transaction(0);
    await expect(assertNotLastSystemAdmin(notAdmin.tx, admin({ role: 'department_admin' }))).resolves.toBeUndefined();
    await expect(assertNotLastSystemAdmin(notAdmin.tx, admin({ status: 'suspended' }))).resolves.toBeUndefined();
    expect(notAdmin.asked).toEqual([]);
  });
});
