-- CreateTable
CREATE TABLE "reflections" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "request_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "content" TEXT NOT NULL,
    "mood_rating" INTEGER NOT NULL,
    "responses" JSONB NOT NULL DEFAULT '[]',
    "completed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reviewed_at" TIMESTAMPTZ(3),
    "reviewed_by_id" UUID,
    "review_note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reflections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reflections_request_id_key" ON "reflections"("request_id");

-- CreateIndex
CREATE INDEX "reflections_student_id_completed_at_idx" ON "reflections"("student_id", "completed_at");

-- CreateIndex
CREATE INDEX "reflections_tenant_id_idx" ON "reflections"("tenant_id");

-- AddForeignKey
ALTER TABLE "reflections" ADD CONSTRAINT "reflections_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "behavior_requests"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-Level Security: tenant isolation, and the student caseload through the reflection's student
-- (students' own policies decide inside the EXISTS), like behavior_requests.
ALTER TABLE "reflections" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "reflections" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "reflections" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
CREATE POLICY student_caseload ON "reflections" AS RESTRICTIVE
  USING (EXISTS (SELECT 1 FROM "behavior"."students" s WHERE s.id = student_id))
  WITH CHECK (EXISTS (SELECT 1 FROM "behavior"."students" s WHERE s.id = student_id));
