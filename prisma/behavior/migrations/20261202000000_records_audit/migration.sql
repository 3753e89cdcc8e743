-- AlterTable
ALTER TABLE "families" ADD COLUMN     "archived_at" TIMESTAMPTZ(3),
ADD COLUMN     "facility_id" UUID;

-- AlterTable
ALTER TABLE "students" ADD COLUMN     "archived_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "guardians" ADD COLUMN     "archived_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "teacher_student_assignments" ADD COLUMN     "assigned_by_id" UUID;

-- CreateTable
CREATE TABLE "behavior_changes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" UUID NOT NULL,
    "student_id" UUID,
    "family_id" UUID,
    "actor_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "behavior_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "behavior_changes_student_id_at_idx" ON "behavior_changes"("student_id", "at");

-- CreateIndex
CREATE INDEX "behavior_changes_family_id_at_idx" ON "behavior_changes"("family_id", "at");

-- CreateIndex
CREATE INDEX "behavior_changes_entity_id_at_idx" ON "behavior_changes"("entity_id", "at");

-- CreateIndex
CREATE INDEX "behavior_changes_tenant_id_idx" ON "behavior_changes"("tenant_id");


-- Row-Level Security for the audit trail, like every tenant table.
ALTER TABLE "behavior_changes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "behavior_changes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "behavior_changes" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));

-- Seed 002's "Students access own data" and "Teachers access class students", as a second policy on
-- students that every query must also pass (RESTRICTIVE: ANDed with tenant_isolation). The subgraph
-- sets, per transaction (context.ts), app.user_id, app.facility_id and app.student_reach, which
-- access.ts decides from the verified identity:
--   all       system and department admins, and aggregate readers placed at no facility: the tenant policy decides
--   facility  facility admins (and placed aggregate readers): students of their facility
--   assigned  staff: students assigned to them (their caseload)
--   own       everyone else: their own record and, as a guardian, their family's students
-- Unset (any other transaction at facility or tenant reach) falls to "own", which with no user id
-- is nothing. The service (jobs, relay) passes through as before.
CREATE FUNCTION "behavior".student_visible(s_id UUID, s_user UUID, s_family UUID, s_facility UUID) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
  SELECT current_setting('app.reach', true) IN ('system', 'service')
      OR current_setting('app.student_reach', true) = 'all'
      OR (current_setting('app.student_reach', true) = 'facility' AND s_facility::text = current_setting('app.facility_id', true))
      OR (current_setting('app.student_reach', true) = 'assigned' AND EXISTS (
            SELECT 1 FROM "behavior"."teacher_student_assignments" a
            WHERE a.student_id = s_id AND a.teacher_id::text = current_setting('app.user_id', true)))
      OR s_user::text = current_setting('app.user_id', true)
      OR (s_family IS NOT NULL AND EXISTS (
            SELECT 1 FROM "behavior"."guardians" g
            WHERE g.family_id = s_family AND g.archived_at IS NULL AND g.user_id::text = current_setting('app.user_id', true)))
$$;

CREATE POLICY student_caseload ON "students" AS RESTRICTIVE
  USING ("behavior".student_visible(id, user_id, family_id, facility_id))
  WITH CHECK ("behavior".student_visible(id, user_id, family_id, facility_id));
