-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "learning";

-- CreateEnum
CREATE TYPE "ProviderPlatformType" AS ENUM ('canvas_oss', 'canvas_cloud', 'kolibri', 'brightspace');

-- CreateEnum
CREATE TYPE "ProviderPlatformState" AS ENUM ('enabled', 'disabled', 'archived');

-- CreateEnum
CREATE TYPE "CourseType" AS ENUM ('open_enrollment', 'open_content', 'fixed_enrollment');

-- CreateTable
CREATE TABLE "provider_platforms" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID,
    "type" "ProviderPlatformType" NOT NULL,
    "name" TEXT NOT NULL,
    "account_id" TEXT,
    "access_key_encrypted" TEXT,
    "base_url" TEXT,
    "state" "ProviderPlatformState" NOT NULL DEFAULT 'enabled',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "provider_platforms_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "courses" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID,
    "provider_platform_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "external_id" TEXT NOT NULL,
    "thumbnail_url" TEXT,
    "type" "CourseType" NOT NULL DEFAULT 'open_enrollment',
    "outcome_types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "external_url" TEXT,
    "alt_name" TEXT,
    "total_progress_milestones" INTEGER NOT NULL DEFAULT 0,
    "start_dt" TIMESTAMPTZ(3),
    "end_dt" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "courses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "course_enrollments" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID,
    "user_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "external_id" TEXT,
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "course_enrollments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "provider_platforms_tenant_id_facility_id_idx" ON "provider_platforms"("tenant_id", "facility_id");

-- CreateIndex
CREATE INDEX "provider_platforms_type_idx" ON "provider_platforms"("type");

-- CreateIndex
CREATE INDEX "provider_platforms_state_idx" ON "provider_platforms"("state");

-- CreateIndex
CREATE INDEX "courses_tenant_id_facility_id_idx" ON "courses"("tenant_id", "facility_id");

-- CreateIndex
CREATE INDEX "courses_type_idx" ON "courses"("type");

-- CreateIndex
CREATE INDEX "courses_name_idx" ON "courses"("name");

-- CreateIndex
CREATE UNIQUE INDEX "courses_provider_platform_id_external_id_key" ON "courses"("provider_platform_id", "external_id");

-- CreateIndex
CREATE INDEX "course_enrollments_user_id_enrolled_at_idx" ON "course_enrollments"("user_id", "enrolled_at");

-- CreateIndex
CREATE INDEX "course_enrollments_course_id_idx" ON "course_enrollments"("course_id");

-- CreateIndex
CREATE INDEX "course_enrollments_tenant_id_facility_id_idx" ON "course_enrollments"("tenant_id", "facility_id");

-- CreateIndex
CREATE UNIQUE INDEX "course_enrollments_user_id_course_id_key" ON "course_enrollments"("user_id", "course_id");

-- AddForeignKey
ALTER TABLE "courses" ADD CONSTRAINT "courses_provider_platform_id_fkey" FOREIGN KEY ("provider_platform_id") REFERENCES "provider_platforms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "course_enrollments" ADD CONSTRAINT "course_enrollments_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-Level Security: the second, independent layer under graphql-shield. The application connects
-- as pathway_app (NOSUPERUSER NOBYPASSRLS) and sets app.tenant_id / app.reach per transaction
-- (kit withScope). Without those settings a query sees no tenant-scoped rows at all.
GRANT USAGE ON SCHEMA "learning" TO pathway_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "learning" TO pathway_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA "learning" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pathway_app;

CREATE FUNCTION "learning".tenant_visible(row_tenant UUID) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
  SELECT current_setting('app.reach', true) IN ('system', 'service')
      OR row_tenant::text = current_setting('app.tenant_id', true)
$$;

ALTER TABLE "provider_platforms" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "provider_platforms" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "courses" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "courses" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "course_enrollments" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "course_enrollments" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
