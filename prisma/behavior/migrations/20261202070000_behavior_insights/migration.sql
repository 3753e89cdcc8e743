-- CreateTable
CREATE TABLE "behavior_insights" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "insight_type" TEXT NOT NULL,
    "headline" TEXT NOT NULL,
    "previous_headline" TEXT,
    "summary" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "confidence" DOUBLE PRECISION NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "behavior_insights_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "behavior_insights_tenant_id_insight_type_headline_idx" ON "behavior_insights"("tenant_id", "insight_type", "headline");

-- CreateIndex
CREATE UNIQUE INDEX "behavior_insights_student_id_insight_type_key" ON "behavior_insights"("student_id", "insight_type");

-- AddForeignKey
ALTER TABLE "behavior_insights" ADD CONSTRAINT "behavior_insights_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "students"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-Level Security like every tenant table; an insight is visible only when its student is (as requests are).
ALTER TABLE "behavior_insights" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "behavior_insights" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "behavior_insights" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
CREATE POLICY student_caseload ON "behavior_insights" AS RESTRICTIVE
  USING (EXISTS (SELECT 1 FROM "behavior"."students" s WHERE s.id = student_id))
  WITH CHECK (EXISTS (SELECT 1 FROM "behavior"."students" s WHERE s.id = student_id));
