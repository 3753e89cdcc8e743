-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "behavior";

-- CreateTable
CREATE TABLE "families" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "family_name" TEXT NOT NULL,
    "primary_contact" TEXT,
    "address" TEXT,
    "phone" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "families_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "students" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID,
    "family_id" UUID,
    "student_number" TEXT NOT NULL,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT NOT NULL,
    "grade_level" TEXT NOT NULL,
    "birth_date" DATE,
    "additional_info" JSONB NOT NULL DEFAULT '{}',
    "user_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "students_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "guardians" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "family_id" UUID NOT NULL,
    "user_id" UUID,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT NOT NULL,
    "relationship" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "notification_preferences" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "guardians_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "teacher_student_assignments" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "teacher_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teacher_student_assignments_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "families_tenant_id_family_name_idx" ON "families"("tenant_id", "family_name");

-- CreateIndex
CREATE UNIQUE INDEX "students_user_id_key" ON "students"("user_id");

-- CreateIndex
CREATE INDEX "students_tenant_id_facility_id_last_name_idx" ON "students"("tenant_id", "facility_id", "last_name");

-- CreateIndex
CREATE INDEX "students_tenant_id_grade_level_idx" ON "students"("tenant_id", "grade_level");

-- CreateIndex
CREATE INDEX "students_family_id_idx" ON "students"("family_id");

-- CreateIndex
CREATE UNIQUE INDEX "students_tenant_id_student_number_key" ON "students"("tenant_id", "student_number");

-- CreateIndex
CREATE INDEX "guardians_family_id_idx" ON "guardians"("family_id");

-- CreateIndex
CREATE INDEX "guardians_user_id_idx" ON "guardians"("user_id");

-- CreateIndex
CREATE INDEX "guardians_tenant_id_idx" ON "guardians"("tenant_id");

-- CreateIndex
CREATE INDEX "teacher_student_assignments_student_id_idx" ON "teacher_student_assignments"("student_id");

-- CreateIndex
CREATE INDEX "teacher_student_assignments_tenant_id_idx" ON "teacher_student_assignments"("tenant_id");

-- CreateIndex
CREATE UNIQUE INDEX "teacher_student_assignments_teacher_id_student_id_key" ON "teacher_student_assignments"("teacher_id", "student_id");

-- AddForeignKey
ALTER TABLE "students" ADD CONSTRAINT "students_family_id_fkey" FOREIGN KEY ("family_id") REFERENCES "families"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "guardians" ADD CONSTRAINT "guardians_family_id_fkey" FOREIGN KEY ("family_id") REFERENCES "families"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "teacher_student_assignments" ADD CONSTRAINT "teacher_student_assignments_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "students"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-Level Security: the second, independent layer under graphql-shield. The application connects
-- as pathway_app (NOSUPERUSER NOBYPASSRLS) and sets app.tenant_id / app.reach per transaction
-- (kit withScope). Without those settings a query sees no tenant-scoped rows at all.
GRANT USAGE ON SCHEMA "behavior" TO pathway_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "behavior" TO pathway_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA "behavior" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pathway_app;

CREATE FUNCTION "behavior".tenant_visible(row_tenant UUID) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
  SELECT current_setting('app.reach', true) IN ('system', 'service')
      OR row_tenant::text = current_setting('app.tenant_id', true)
$$;

ALTER TABLE "families" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "families" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
ALTER TABLE "students" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "students" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
ALTER TABLE "guardians" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "guardians" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
ALTER TABLE "teacher_student_assignments" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "teacher_student_assignments" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
