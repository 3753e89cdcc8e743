-- Service accounts for machine clients: chosen permissions and scope, API keys stored as SHA-256
-- (a rotated key works until its overlap ends), and the trail of who created, rotated or revoked.
-- CreateEnum
CREATE TYPE "ServiceAccountStatus" AS ENUM ('active', 'revoked');

-- CreateTable
CREATE TABLE "service_accounts" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID,
    "name" TEXT NOT NULL,
    "permissions" TEXT[],
    "status" "ServiceAccountStatus" NOT NULL DEFAULT 'active',
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "service_accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_account_keys" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "service_account_id" UUID NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "service_account_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_account_changes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "service_account_id" UUID NOT NULL,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_account_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "service_accounts_tenant_id_created_at_idx" ON "service_accounts"("tenant_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "service_account_keys_key_hash_key" ON "service_account_keys"("key_hash");

-- CreateIndex
CREATE INDEX "service_account_keys_service_account_id_idx" ON "service_account_keys"("service_account_id");

-- CreateIndex
CREATE INDEX "service_account_changes_service_account_id_created_at_idx" ON "service_account_changes"("service_account_id", "created_at");

-- CreateIndex
CREATE INDEX "service_account_changes_tenant_id_idx" ON "service_account_changes"("tenant_id");

-- AddForeignKey
ALTER TABLE "service_account_keys" ADD CONSTRAINT "service_account_keys_service_account_id_fkey" FOREIGN KEY ("service_account_id") REFERENCES "service_accounts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Row-Level Security, as every tenant table (FORCE: the owner too).
ALTER TABLE "service_accounts" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_accounts" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "service_accounts" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
ALTER TABLE "service_account_keys" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_account_keys" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "service_account_keys" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
ALTER TABLE "service_account_changes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "service_account_changes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "service_account_changes" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
