-- CreateEnum
CREATE TYPE "FeatureFlag" AS ENUM ('open_content', 'provider_platforms', 'program_management');

-- CreateEnum
CREATE TYPE "IntegrationStatus" AS ENUM ('active', 'inactive', 'error');

-- CreateEnum
CREATE TYPE "SubscriptionStatus" AS ENUM ('active', 'trial', 'cancelled', 'expired');

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "failed_login_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "first_failed_login_at" TIMESTAMPTZ(3),
ADD COLUMN     "locked_until" TIMESTAMPTZ(3),
ADD COLUMN     "login_count" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "must_change_password" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "status_reason" TEXT;

-- CreateTable
CREATE TABLE "account_history" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "failed_logins" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "counted" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "failed_logins_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_preferences" (
    "user_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "user_preferences_pkey" PRIMARY KEY ("user_id","key")
);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "related_entity_type" TEXT,
    "related_entity_id" TEXT,
    "read_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "facility_features" (
    "facility_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "enabled" "FeatureFlag"[] DEFAULT ARRAY[]::"FeatureFlag"[],
    "updated_by" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "facility_features_pkey" PRIMARY KEY ("facility_id")
);

-- CreateTable
CREATE TABLE "integrations" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "base_url" TEXT NOT NULL,
    "status" "IntegrationStatus" NOT NULL DEFAULT 'active',
    "secret_ciphertext" TEXT,
    "secret_set_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "integrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_extensions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "usage_count" INTEGER NOT NULL DEFAULT 0,
    "last_used_at" TIMESTAMPTZ(3),
    "feedback_score" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "user_extensions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "practicality_factors" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "extension_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "value" INTEGER NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "practicality_factors_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_subscriptions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "plan" TEXT NOT NULL,
    "status" "SubscriptionStatus" NOT NULL DEFAULT 'active',
    "starts_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ends_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "user_subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "account_history_user_id_created_at_idx" ON "account_history"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "account_history_tenant_id_idx" ON "account_history"("tenant_id");

-- CreateIndex
CREATE INDEX "failed_logins_user_id_created_at_idx" ON "failed_logins"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "failed_logins_tenant_id_idx" ON "failed_logins"("tenant_id");

-- CreateIndex
CREATE INDEX "user_preferences_tenant_id_idx" ON "user_preferences"("tenant_id");

-- CreateIndex
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "notifications_user_id_read_at_idx" ON "notifications"("user_id", "read_at");

-- CreateIndex
CREATE INDEX "notifications_tenant_id_idx" ON "notifications"("tenant_id");

-- CreateIndex
CREATE INDEX "facility_features_tenant_id_idx" ON "facility_features"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "integrations_tenant_id_name_key" ON "integrations"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "user_extensions_user_id_idx" ON "user_extensions"("user_id");

-- CreateIndex
CREATE INDEX "user_extensions_tenant_id_idx" ON "user_extensions"("tenant_id");

-- CreateIndex
CREATE INDEX "practicality_factors_tenant_id_idx" ON "practicality_factors"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "practicality_factors_extension_id_name_key" ON "practicality_factors"("extension_id", "name");

-- CreateIndex
CREATE INDEX "user_subscriptions_user_id_idx" ON "user_subscriptions"("user_id");

-- CreateIndex
CREATE INDEX "user_subscriptions_tenant_id_idx" ON "user_subscriptions"("tenant_id");

-- AddForeignKey
ALTER TABLE "account_history" ADD CONSTRAINT "account_history_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "failed_logins" ADD CONSTRAINT "failed_logins_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_preferences" ADD CONSTRAINT "user_preferences_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_extensions" ADD CONSTRAINT "user_extensions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "practicality_factors" ADD CONSTRAINT "practicality_factors_extension_id_fkey" FOREIGN KEY ("extension_id") REFERENCES "user_extensions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_subscriptions" ADD CONSTRAINT "user_subscriptions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Factor values are 1–10 (seed 001) and weights positive.
ALTER TABLE "practicality_factors" ADD CONSTRAINT "practicality_factors_value_range" CHECK (value BETWEEN 1 AND 10);
ALTER TABLE "practicality_factors" ADD CONSTRAINT "practicality_factors_weight_positive" CHECK (weight > 0);
-- At most one live (active or trial) subscription per person and plan, also under concurrent calls.
CREATE UNIQUE INDEX "user_subscriptions_one_live_per_plan" ON "user_subscriptions" ("user_id", "plan") WHERE status IN ('active', 'trial');

-- Row-Level Security for the new tenant-scoped tables (same policy as the init migration).
ALTER TABLE "account_history" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "account_history" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
ALTER TABLE "failed_logins" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "failed_logins" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
ALTER TABLE "user_preferences" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "user_preferences" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "notifications" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
ALTER TABLE "facility_features" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "facility_features" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
ALTER TABLE "integrations" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "integrations" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
ALTER TABLE "user_extensions" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "user_extensions" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
ALTER TABLE "practicality_factors" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "practicality_factors" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
ALTER TABLE "user_subscriptions" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "user_subscriptions" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));
