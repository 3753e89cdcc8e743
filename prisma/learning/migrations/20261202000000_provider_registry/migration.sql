-- Provider platform registry: how Pathway signs in (access key or OAuth client credentials, the secret
-- sealed by kit/secret-box), which facilities a platform is available at, and who changed it.
-- CreateEnum
CREATE TYPE "ProviderAuthType" AS ENUM ('access_key', 'oauth_client_credentials');

-- AlterTable
ALTER TABLE "provider_platforms" ADD COLUMN     "archived_at" TIMESTAMPTZ(3),
ADD COLUMN     "auth_type" "ProviderAuthType" NOT NULL DEFAULT 'access_key',
ADD COLUMN     "created_by" UUID,
ADD COLUMN     "credentials_set_at" TIMESTAMPTZ(3),
ADD COLUMN     "oauth_client_id" TEXT,
ADD COLUMN     "updated_by" UUID;

-- CreateTable
CREATE TABLE "provider_platform_facilities" (
    "tenant_id" UUID NOT NULL,
    "provider_platform_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_platform_facilities_pkey" PRIMARY KEY ("provider_platform_id","facility_id")
);

-- CreateTable
CREATE TABLE "provider_platform_changes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "provider_platform_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_platform_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "provider_platform_facilities_facility_id_idx" ON "provider_platform_facilities"("facility_id");

-- CreateIndex
CREATE INDEX "provider_platform_changes_provider_platform_id_created_at_idx" ON "provider_platform_changes"("provider_platform_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "provider_platforms_tenant_id_name_key" ON "provider_platforms"("tenant_id", "name");

-- AddForeignKey
ALTER TABLE "provider_platform_facilities" ADD CONSTRAINT "provider_platform_facilities_provider_platform_id_fkey" FOREIGN KEY ("provider_platform_id") REFERENCES "provider_platforms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider_platform_changes" ADD CONSTRAINT "provider_platform_changes_provider_platform_id_fkey" FOREIGN KEY ("provider_platform_id") REFERENCES "provider_platforms"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-Level Security for the new tenant tables, as every learning table.
ALTER TABLE "provider_platform_facilities" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "provider_platform_facilities" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "provider_platform_facilities" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "provider_platform_changes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "provider_platform_changes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "provider_platform_changes" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
