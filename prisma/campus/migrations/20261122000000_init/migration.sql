-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "campus";

-- CreateEnum
CREATE TYPE "funding_type" AS ENUM ('Federal_Grants', 'State_Grants', 'Nonprofit_Organizations', 'Educational_Grants', 'Inmate_Welfare_Funds', 'Other');

-- CreateEnum
CREATE TYPE "program_type" AS ENUM ('Educational', 'Vocational', 'Mental_Health_Behavioral', 'Religious_Faith-Based', 'Re-Entry', 'Therapeutic', 'Life_Skills');

-- CreateEnum
CREATE TYPE "class_status" AS ENUM ('Scheduled', 'Active', 'Cancelled', 'Completed', 'Paused');

-- CreateEnum
CREATE TYPE "program_enrollment_status" AS ENUM ('Enrolled', 'Cancelled', 'Completed', 'Incomplete: Withdrawn', 'Incomplete: Dropped', 'Incomplete: Failed to Complete', 'Incomplete: Transfered', 'Incomplete: Segregated');

-- CreateTable
CREATE TABLE "facilities" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "facilities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "programs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "funding_type" "funding_type",
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "archived_at" TIMESTAMPTZ(3),
    "create_user_id" UUID,
    "update_user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "programs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "program_types" (
    "program_id" UUID NOT NULL,
    "program_type" "program_type" NOT NULL,
    "tenant_id" UUID NOT NULL,

    CONSTRAINT "program_types_pkey" PRIMARY KEY ("program_id","program_type")
);

-- CreateTable
CREATE TABLE "facilities_programs" (
    "facility_id" UUID NOT NULL,
    "program_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "facilities_programs_pkey" PRIMARY KEY ("facility_id","program_id")
);

-- CreateTable
CREATE TABLE "program_classes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "program_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "instructor_name" TEXT,
    "description" TEXT,
    "capacity" INTEGER,
    "status" "class_status" NOT NULL DEFAULT 'Scheduled',
    "credit_hours" INTEGER,
    "start_dt" TIMESTAMPTZ(3) NOT NULL,
    "end_dt" TIMESTAMPTZ(3),
    "archived_at" TIMESTAMPTZ(3),
    "create_user_id" UUID,
    "update_user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "program_classes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "program_class_enrollments" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "class_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "enrollment_status" "program_enrollment_status" NOT NULL DEFAULT 'Enrolled',
    "change_reason" TEXT,
    "enrolled_at" TIMESTAMPTZ(3),
    "enrollment_ended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "program_class_enrollments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "facilities_tenant_id_id_key" ON "facilities"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "facilities_tenant_id_name_key" ON "facilities"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "programs_tenant_id_is_active_idx" ON "programs"("tenant_id", "is_active");

-- CreateIndex
CREATE INDEX "programs_funding_type_idx" ON "programs"("funding_type");

-- CreateIndex
CREATE UNIQUE INDEX "programs_tenant_id_id_key" ON "programs"("tenant_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "programs_tenant_id_name_key" ON "programs"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "program_types_program_type_idx" ON "program_types"("program_type");

-- CreateIndex
CREATE INDEX "facilities_programs_program_id_idx" ON "facilities_programs"("program_id");

-- CreateIndex
CREATE INDEX "program_classes_tenant_id_facility_id_status_idx" ON "program_classes"("tenant_id", "facility_id", "status");

-- CreateIndex
CREATE INDEX "program_classes_program_id_idx" ON "program_classes"("program_id");

-- CreateIndex
CREATE INDEX "program_classes_start_dt_idx" ON "program_classes"("start_dt");

-- CreateIndex
CREATE UNIQUE INDEX "program_classes_tenant_id_facility_id_id_key" ON "program_classes"("tenant_id", "facility_id", "id");

-- CreateIndex
CREATE INDEX "program_class_enrollments_user_id_created_at_idx" ON "program_class_enrollments"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "program_class_enrollments_tenant_id_facility_id_user_id_idx" ON "program_class_enrollments"("tenant_id", "facility_id", "user_id");

-- CreateIndex
CREATE INDEX "program_class_enrollments_enrollment_status_class_id_idx" ON "program_class_enrollments"("enrollment_status", "class_id");

-- CreateIndex
CREATE UNIQUE INDEX "program_class_enrollments_class_id_user_id_key" ON "program_class_enrollments"("class_id", "user_id");

-- AddForeignKey
ALTER TABLE "program_types" ADD CONSTRAINT "program_types_tenant_id_program_id_fkey" FOREIGN KEY ("tenant_id", "program_id") REFERENCES "programs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "facilities_programs" ADD CONSTRAINT "facilities_programs_tenant_id_facility_id_fkey" FOREIGN KEY ("tenant_id", "facility_id") REFERENCES "facilities"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "facilities_programs" ADD CONSTRAINT "facilities_programs_tenant_id_program_id_fkey" FOREIGN KEY ("tenant_id", "program_id") REFERENCES "programs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "program_classes" ADD CONSTRAINT "program_classes_tenant_id_facility_id_fkey" FOREIGN KEY ("tenant_id", "facility_id") REFERENCES "facilities"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "program_classes" ADD CONSTRAINT "program_classes_tenant_id_program_id_fkey" FOREIGN KEY ("tenant_id", "program_id") REFERENCES "programs"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "program_class_enrollments" ADD CONSTRAINT "program_class_enrollments_tenant_id_facility_id_class_id_fkey" FOREIGN KEY ("tenant_id", "facility_id", "class_id") REFERENCES "program_classes"("tenant_id", "facility_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Sanity rules Prisma cannot express: no negative seats or credit hours, no class or enrollment
-- that ends before it starts.
ALTER TABLE "program_classes" ADD CONSTRAINT "program_classes_capacity_check" CHECK ("capacity" IS NULL OR "capacity" >= 0);
ALTER TABLE "program_classes" ADD CONSTRAINT "program_classes_credit_hours_check" CHECK ("credit_hours" IS NULL OR "credit_hours" >= 0);
ALTER TABLE "program_classes" ADD CONSTRAINT "program_classes_dates_check" CHECK ("end_dt" IS NULL OR "end_dt" >= "start_dt");
ALTER TABLE "program_class_enrollments" ADD CONSTRAINT "program_class_enrollments_dates_check" CHECK ("enrollment_ended_at" IS NULL OR "enrolled_at" IS NULL OR "enrollment_ended_at" >= "enrolled_at");

-- Row-Level Security: the second, independent layer under graphql-shield. The application connects
-- as pathway_app (NOSUPERUSER NOBYPASSRLS) and sets app.tenant_id / app.reach per transaction
-- (kit withScope). Without those settings a query sees no tenant-scoped rows at all.
GRANT USAGE ON SCHEMA "campus" TO pathway_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "campus" TO pathway_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA "campus" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pathway_app;

CREATE FUNCTION "campus".tenant_visible(row_tenant UUID) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
  SELECT current_setting('app.reach', true) IN ('system', 'service')
      OR row_tenant::text = current_setting('app.tenant_id', true)
$$;

ALTER TABLE "facilities" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "facilities" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "programs" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "programs" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "program_types" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "program_types" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "facilities_programs" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "facilities_programs" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "program_classes" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "program_classes" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "program_class_enrollments" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "program_class_enrollments" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
