-- CreateTable
CREATE TABLE "external_data" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID,
    "data_source" TEXT NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "data_payload" JSONB NOT NULL DEFAULT '{}',
    "student_id" UUID,
    "confidence_score" DOUBLE PRECISION NOT NULL,
    "match_basis" TEXT NOT NULL,
    "match_status" TEXT NOT NULL,
    "rejected_student_id" UUID,
    "reviewed_by_id" UUID,
    "reviewed_at" TIMESTAMPTZ(3),
    "review_reason" TEXT,
    "synced_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "external_data_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "external_data_tenant_id_match_status_confidence_score_idx" ON "external_data"("tenant_id", "match_status", "confidence_score");

-- CreateIndex
CREATE INDEX "external_data_student_id_idx" ON "external_data"("student_id");

-- CreateIndex
CREATE UNIQUE INDEX "external_data_tenant_id_data_source_correlation_id_key" ON "external_data"("tenant_id", "data_source", "correlation_id");

-- AddForeignKey
ALTER TABLE "external_data" ADD CONSTRAINT "external_data_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "students"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Row-Level Security like every tenant table (a record may have no student yet: access.ts decides who sees which).
ALTER TABLE "external_data" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "external_data" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "external_data" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
