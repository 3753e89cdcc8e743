-- CreateTable
CREATE TABLE "communication_templates" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "template_type" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "variables" JSONB NOT NULL DEFAULT '[]',
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "communication_templates_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "communication_templates_tenant_id_name_key" ON "communication_templates"("tenant_id", "name");


ALTER TABLE "communication_templates" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "communication_templates" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "communication_templates" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
