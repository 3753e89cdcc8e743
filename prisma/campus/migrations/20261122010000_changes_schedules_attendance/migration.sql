-- CreateEnum
CREATE TYPE "attendance" AS ENUM ('present', 'absent_excused', 'absent_unexcused');

-- CreateTable
CREATE TABLE "class_changes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "class_id" UUID NOT NULL,
    "enrollment_id" UUID,
    "actor_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "class_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "program_class_events" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "class_id" UUID NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "recurrence_rule" TEXT,
    "room" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "program_class_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "program_class_event_overrides" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "cancelled" BOOLEAN NOT NULL DEFAULT false,
    "starts_at" TIMESTAMPTZ(3),
    "duration_minutes" INTEGER,
    "room" TEXT,
    "reason" TEXT,
    "create_user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "program_class_event_overrides_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "program_class_event_attendance" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "class_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "enrollment_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "attendance_status" "attendance" NOT NULL DEFAULT 'absent_unexcused',
    "note" TEXT,
    "recorded_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "program_class_event_attendance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "class_instructors" (
    "class_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "assigned_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "class_instructors_pkey" PRIMARY KEY ("class_id","user_id")
);

-- CreateIndex
CREATE INDEX "class_changes_class_id_created_at_idx" ON "class_changes"("class_id", "created_at");

-- CreateIndex
CREATE INDEX "class_changes_enrollment_id_created_at_idx" ON "class_changes"("enrollment_id", "created_at");

-- CreateIndex
CREATE INDEX "class_changes_tenant_id_facility_id_idx" ON "class_changes"("tenant_id", "facility_id");

-- CreateIndex
CREATE INDEX "program_class_events_class_id_idx" ON "program_class_events"("class_id");

-- CreateIndex
CREATE UNIQUE INDEX "program_class_events_tenant_id_facility_id_id_key" ON "program_class_events"("tenant_id", "facility_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "program_class_event_overrides_event_id_date_key" ON "program_class_event_overrides"("event_id", "date");

-- CreateIndex
CREATE INDEX "program_class_event_attendance_class_id_date_idx" ON "program_class_event_attendance"("class_id", "date");

-- CreateIndex
CREATE INDEX "program_class_event_attendance_user_id_date_idx" ON "program_class_event_attendance"("user_id", "date");

-- CreateIndex
CREATE INDEX "program_class_event_attendance_tenant_id_facility_id_date_idx" ON "program_class_event_attendance"("tenant_id", "facility_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "program_class_event_attendance_event_id_user_id_date_key" ON "program_class_event_attendance"("event_id", "user_id", "date");

-- CreateIndex
CREATE INDEX "class_instructors_user_id_idx" ON "class_instructors"("user_id");

-- AddForeignKey
ALTER TABLE "program_class_events" ADD CONSTRAINT "program_class_events_tenant_id_facility_id_class_id_fkey" FOREIGN KEY ("tenant_id", "facility_id", "class_id") REFERENCES "program_classes"("tenant_id", "facility_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "program_class_event_overrides" ADD CONSTRAINT "program_class_event_overrides_tenant_id_facility_id_event__fkey" FOREIGN KEY ("tenant_id", "facility_id", "event_id") REFERENCES "program_class_events"("tenant_id", "facility_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "program_class_event_attendance" ADD CONSTRAINT "program_class_event_attendance_tenant_id_facility_id_event_fkey" FOREIGN KEY ("tenant_id", "facility_id", "event_id") REFERENCES "program_class_events"("tenant_id", "facility_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "program_class_event_attendance" ADD CONSTRAINT "program_class_event_attendance_enrollment_id_fkey" FOREIGN KEY ("enrollment_id") REFERENCES "program_class_enrollments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "class_instructors" ADD CONSTRAINT "class_instructors_tenant_id_facility_id_class_id_fkey" FOREIGN KEY ("tenant_id", "facility_id", "class_id") REFERENCES "program_classes"("tenant_id", "facility_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Sanity rules Prisma cannot express.
ALTER TABLE "program_class_events" ADD CONSTRAINT "program_class_events_duration_check" CHECK ("duration_minutes" > 0 AND "duration_minutes" <= 1440);
ALTER TABLE "program_class_event_overrides" ADD CONSTRAINT "program_class_event_overrides_duration_check" CHECK ("duration_minutes" IS NULL OR ("duration_minutes" > 0 AND "duration_minutes" <= 1440));

-- The change log has no foreign key to its class on purpose: it must outlive what it describes.
-- Row-Level Security, as for every tenant-scoped table (see the init migration).
ALTER TABLE "class_changes" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "class_changes" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "program_class_events" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "program_class_events" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "program_class_event_overrides" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "program_class_event_overrides" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "program_class_event_attendance" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "program_class_event_attendance" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "class_instructors" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "class_instructors" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
