-- CreateTable
CREATE TABLE "student_imports" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "file_sha256" TEXT NOT NULL,
    "row_count" INTEGER NOT NULL,
    "created" INTEGER NOT NULL,
    "updated" INTEGER NOT NULL,
    "unchanged" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "student_imports_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "student_imports_tenant_id_at_idx" ON "student_imports"("tenant_id", "at");


ALTER TABLE "student_imports" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "student_imports" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "student_imports" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));

-- Which of these student numbers the tenant already uses, including students the caller's
-- student_caseload policy hides (another facility's): the import must not plan an insert that the
-- unique index (tenant_id, student_number) would refuse. The function widens only that policy, for
-- its own run (SET app.student_reach = 'all'); tenant isolation still applies, and it answers only
-- with numbers the caller named, which createStudent would reveal anyway as CONFLICT DUPLICATE.
CREATE FUNCTION "behavior".student_numbers_taken(tenant UUID, numbers TEXT[]) RETURNS SETOF TEXT
LANGUAGE sql STABLE SET app.student_reach = 'all' AS $$
  SELECT s.student_number FROM "behavior"."students" s WHERE s.tenant_id = tenant AND s.student_number = ANY(numbers)
$$;
