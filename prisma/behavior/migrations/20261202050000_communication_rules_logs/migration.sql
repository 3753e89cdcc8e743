-- CreateTable
CREATE TABLE "communication_rules" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "template_id" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "communication_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "communication_logs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "rule_id" UUID,
    "student_id" UUID NOT NULL,
    "guardian_id" UUID NOT NULL,
    "request_id" UUID,
    "trigger" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT,
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "queued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_attempt_at" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),

    CONSTRAINT "communication_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "communication_rules_tenant_id_trigger_idx" ON "communication_rules"("tenant_id", "trigger");

-- CreateIndex
CREATE INDEX "communication_rules_template_id_idx" ON "communication_rules"("template_id");

-- CreateIndex
CREATE UNIQUE INDEX "communication_rules_tenant_id_name_key" ON "communication_rules"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "communication_logs_guardian_id_queued_at_idx" ON "communication_logs"("guardian_id", "queued_at");

-- CreateIndex
CREATE INDEX "communication_logs_student_id_queued_at_idx" ON "communication_logs"("student_id", "queued_at");

-- CreateIndex
CREATE INDEX "communication_logs_tenant_id_status_idx" ON "communication_logs"("tenant_id", "status");

-- AddForeignKey
ALTER TABLE "communication_rules" ADD CONSTRAINT "communication_rules_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "communication_templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "communication_logs" ADD CONSTRAINT "communication_logs_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "students"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "communication_logs" ADD CONSTRAINT "communication_logs_guardian_id_fkey" FOREIGN KEY ("guardian_id") REFERENCES "guardians"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Row-Level Security like every tenant table. Logs are read by the guardian they went to and by
-- administrators; access.ts decides which (the tenant policy bounds both).
ALTER TABLE "communication_rules" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "communication_rules" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "communication_rules" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
ALTER TABLE "communication_logs" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "communication_logs" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "communication_logs" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
