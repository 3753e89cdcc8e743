-- CreateTable
CREATE TABLE "behavior_requests" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "facility_id" UUID,
    "teacher_id" UUID NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "behavior_type" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "status_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "behavior_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "interventions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "request_id" UUID,
    "intervention_type" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "started_on" DATE,
    "ended_on" DATE,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "interventions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "progress_notes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "intervention_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "note" TEXT NOT NULL,
    "progress" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "progress_notes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "behavior_requests_student_id_created_at_idx" ON "behavior_requests"("student_id", "created_at");

-- CreateIndex
CREATE INDEX "behavior_requests_tenant_id_status_idx" ON "behavior_requests"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "behavior_requests_teacher_id_status_idx" ON "behavior_requests"("teacher_id", "status");

-- CreateIndex
CREATE INDEX "interventions_student_id_created_at_idx" ON "interventions"("student_id", "created_at");

-- CreateIndex
CREATE INDEX "interventions_request_id_idx" ON "interventions"("request_id");

-- CreateIndex
CREATE INDEX "interventions_tenant_id_idx" ON "interventions"("tenant_id");

-- CreateIndex
CREATE INDEX "progress_notes_intervention_id_created_at_idx" ON "progress_notes"("intervention_id", "created_at");

-- CreateIndex
CREATE INDEX "progress_notes_tenant_id_idx" ON "progress_notes"("tenant_id");

-- AddForeignKey
ALTER TABLE "behavior_requests" ADD CONSTRAINT "behavior_requests_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "students"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interventions" ADD CONSTRAINT "interventions_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "students"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "interventions" ADD CONSTRAINT "interventions_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "behavior_requests"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "progress_notes" ADD CONSTRAINT "progress_notes_intervention_id_fkey" FOREIGN KEY ("intervention_id") REFERENCES "interventions"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-Level Security: tenant isolation like every tenant table, and the student_caseload rule of
-- students carried over: a request, intervention or note is visible only when its student is (the
-- EXISTS on students runs under students' own policies, so the caseload is decided in one place).
ALTER TABLE "behavior_requests" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "behavior_requests" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "behavior_requests" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
CREATE POLICY student_caseload ON "behavior_requests" AS RESTRICTIVE
  USING (EXISTS (SELECT 1 FROM "behavior"."students" s WHERE s.id = student_id))
  WITH CHECK (EXISTS (SELECT 1 FROM "behavior"."students" s WHERE s.id = student_id));

ALTER TABLE "interventions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "interventions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "interventions" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
CREATE POLICY student_caseload ON "interventions" AS RESTRICTIVE
  USING (EXISTS (SELECT 1 FROM "behavior"."students" s WHERE s.id = student_id))
  WITH CHECK (EXISTS (SELECT 1 FROM "behavior"."students" s WHERE s.id = student_id));

ALTER TABLE "progress_notes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "progress_notes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "progress_notes" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
CREATE POLICY student_caseload ON "progress_notes" AS RESTRICTIVE
  USING (EXISTS (SELECT 1 FROM "behavior"."interventions" i WHERE i.id = intervention_id))
  WITH CHECK (EXISTS (SELECT 1 FROM "behavior"."interventions" i WHERE i.id = intervention_id));
