-- Provider sync: tasks (seed 001) with checkpoints, provider user mappings, milestones, outcomes and
-- time spent per enrollment (seed 003). One pending or running task per provider platform.
-- CreateEnum
CREATE TYPE "TaskStatus" AS ENUM ('pending', 'running', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "MappingStatus" AS ENUM ('matched', 'linked', 'unmatched', 'ignored');

-- CreateEnum
CREATE TYPE "MilestoneType" AS ENUM ('enrollment', 'quiz_submission', 'assignment_submission', 'grade_received', 'discussion_post');

-- CreateEnum
CREATE TYPE "OutcomeType" AS ENUM ('certificate', 'grade', 'progress_completion', 'pathway_completion', 'college_credit');

-- AlterTable
ALTER TABLE "course_enrollments" ADD COLUMN     "last_activity_at" TIMESTAMPTZ(3),
ADD COLUMN     "total_activity_seconds" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "tasks" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "provider_platform_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "status" "TaskStatus" NOT NULL DEFAULT 'pending',
    "priority" INTEGER NOT NULL DEFAULT 5,
    "payload" JSONB NOT NULL DEFAULT '{}',
    "result" JSONB,
    "error" TEXT,
    "error_kind" TEXT,
    "checkpoint" JSONB,
    "requested_by" UUID,
    "cancel_requested_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "provider_user_mappings" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "provider_platform_id" UUID NOT NULL,
    "external_user_id" TEXT NOT NULL,
    "external_username" TEXT,
    "external_email" TEXT,
    "external_name" TEXT,
    "user_id" UUID,
    "facility_id" UUID,
    "status" "MappingStatus" NOT NULL DEFAULT 'unmatched',
    "matched_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "provider_user_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "milestones" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID,
    "user_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "type" "MilestoneType" NOT NULL DEFAULT 'enrollment',
    "is_completed" BOOLEAN NOT NULL DEFAULT false,
    "occurred_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "milestones_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outcomes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID,
    "user_id" UUID NOT NULL,
    "course_id" UUID NOT NULL,
    "type" "OutcomeType" NOT NULL,
    "value" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "outcomes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tasks_provider_platform_id_created_at_idx" ON "tasks"("provider_platform_id", "created_at");

-- CreateIndex
CREATE INDEX "tasks_tenant_id_created_at_idx" ON "tasks"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "provider_user_mappings_provider_platform_id_status_idx" ON "provider_user_mappings"("provider_platform_id", "status");

-- CreateIndex
CREATE INDEX "provider_user_mappings_user_id_idx" ON "provider_user_mappings"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "provider_user_mappings_provider_platform_id_external_user_i_key" ON "provider_user_mappings"("provider_platform_id", "external_user_id");

-- CreateIndex
CREATE INDEX "milestones_course_id_idx" ON "milestones"("course_id");

-- CreateIndex
CREATE INDEX "milestones_is_completed_user_id_idx" ON "milestones"("is_completed", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "milestones_user_id_course_id_external_id_key" ON "milestones"("user_id", "course_id", "external_id");

-- CreateIndex
CREATE INDEX "outcomes_type_user_id_idx" ON "outcomes"("type", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "outcomes_user_id_course_id_type_key" ON "outcomes"("user_id", "course_id", "type");

-- AddForeignKey
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_provider_platform_id_fkey" FOREIGN KEY ("provider_platform_id") REFERENCES "provider_platforms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider_user_mappings" ADD CONSTRAINT "provider_user_mappings_provider_platform_id_fkey" FOREIGN KEY ("provider_platform_id") REFERENCES "provider_platforms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "milestones" ADD CONSTRAINT "milestones_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_course_id_fkey" FOREIGN KEY ("course_id") REFERENCES "courses"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one active run per provider platform: the database decides, also between two instances.
CREATE UNIQUE INDEX "tasks_one_active_per_platform" ON "tasks"("provider_platform_id") WHERE "status" IN ('pending', 'running');

-- Row-Level Security for the new tenant tables, as every learning table.
ALTER TABLE "tasks" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tasks" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "tasks" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "provider_user_mappings" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "provider_user_mappings" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "provider_user_mappings" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "milestones" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "milestones" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "milestones" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "outcomes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "outcomes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "outcomes" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
