import { hashApiKey, pgAdapter } from '@pathway/kit';
import { PrismaClient } from '../../subgraphs/identity/src/generated/prisma/client.ts';
import { hashPassword } from '../../subgraphs/identity/src/auth/passwords.ts';
import { syncPermissionCatalog } from '../../subgraphs/identity/src/data/rbac.ts';
import { DEMO_PASSWORD, demoIntegrator, facilities, tenants, users } from './ids.ts';

/**
 * Demo tenants, one person per role and the demo integrator. Idempotent: upserts by fixed id.
 * `integratorKey`: give the integrator its fixed development key (never in production).
 */
export async function seedIdentityDemo(databaseUrl: string, opts: { integratorKey: boolean }): Promise<void> {
  const prisma = new PrismaClient({ adapter: pgAdapter(databaseUrl, 'identity', 2) });
  try {
    await syncPermissionCatalog(prisma);
    const roleIds = new Map((await prisma.role.findMany()).map((r) => [r.name, r.id]));
    await prisma.tenant.upsert({
      where: { id: tenants.lakeshore },
      update: {},
      create: {
        id: tenants.lakeshore,
        slug: 'lakeshore-doc',
        name: 'Lakeshore Department of Corrections',
        tier: 'enterprise',
        region: 'us-east',
      },
    });
    await prisma.tenant.upsert({
      where: { id: tenants.riverside },
      update: {},
      create: { id: tenants.riverside, slug: 'riverside-schools', name: 'Riverside County Schools', tier: 'standard', region: 'us-west' },
    });
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    for (const u of Object.values(users)) {
      const data = {
        tenantId: u.tenantId,
        username: u.username,
        email: `${u.username}@example.org`,
        firstName: u.firstName,
        lastName: u.lastName,
        docId: 'docId' in u ? u.docId : null,
        homeFacilityId: u.facilityId,
      };
      await prisma.user.upsert({ where: { id: u.id }, update: data, create: { id: u.id, passwordHash, ...data } });
      const roleId = roleIds.get(u.role)!;
      await prisma.userRole.upsert({
        where: { userId_roleId: { userId: u.id, roleId } },
        update: {},
        create: { userId: u.id, roleId, tenantId: u.tenantId },
      });
    }
    // Every demo facility has all features on (the gateway can put them into the identity).
    for (const f of Object.values(facilities)) {
      const data = { tenantId: f.tenantId, enabled: ['open_content', 'provider_platforms', 'program_management'] as const };
      await prisma.facilityFeatures.upsert({
        where: { facilityId: f.id },
        update: {},
        create: { facilityId: f.id, ...data, enabled: [...data.enabled] },
      });
    }
    await seedIntegrator(prisma, opts.integratorKey);
  } finally {
    await prisma.$disconnect();
  }
}

/** The demo service account; its key row only with `withKey` (and removed without, e.g. a database reused in production). */
async function seedIntegrator(prisma: PrismaClient, withKey: boolean): Promise<void> {
  const { id, keyId, name, tenantId, facilityId, developmentKey } = demoIntegrator;
  const account = { tenantId, facilityId, name, permissions: [...demoIntegrator.permissions], createdBy: users.sysadmin.id };
  await prisma.serviceAccount.upsert({ where: { id }, update: account, create: { id, ...account } });
  if (!withKey) {
    await prisma.serviceAccountKey.deleteMany({ where: { id: keyId } });
    return;
  }
  const key = { tenantId, serviceAccountId: id, prefix: developmentKey.slice(0, 12), keyHash: hashApiKey(developmentKey) };
  await prisma.serviceAccountKey.upsert({ where: { id: keyId }, update: {}, create: { id: keyId, ...key } });
}
