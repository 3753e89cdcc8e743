-- Campus management (issue 14): facility address and archiving, per-class waitlist, rooms and
-- room bookings, facility closures (lockdown days), and the change log of facilities, programs and rooms.
CREATE TYPE "waitlist_mode" AS ENUM ('AutoEnroll', 'Offer');
CREATE TYPE "waitlist_status" AS ENUM ('Waiting', 'Offered', 'Enrolled', 'Withdrawn', 'Declined');

ALTER TABLE "facilities" ADD COLUMN "address" TEXT, ADD COLUMN "archived_at" TIMESTAMPTZ(3);
ALTER TABLE "program_classes" ADD COLUMN "waitlist_mode" "waitlist_mode" NOT NULL DEFAULT 'AutoEnroll';

CREATE TABLE "class_waitlist" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "class_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "status" "waitlist_status" NOT NULL DEFAULT 'Waiting',
    "offered_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "class_waitlist_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "class_waitlist_class_fkey" FOREIGN KEY ("tenant_id", "facility_id", "class_id")
      REFERENCES "program_classes"("tenant_id", "facility_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "class_waitlist_class_id_status_seq_idx" ON "class_waitlist"("class_id", "status", "seq");
CREATE INDEX "class_waitlist_user_id_idx" ON "class_waitlist"("user_id");
-- One open place per person and class: a second concurrent request for the same person fails here.
CREATE UNIQUE INDEX "class_waitlist_open_key" ON "class_waitlist"("class_id", "user_id") WHERE "status" IN ('Waiting', 'Offered');

CREATE TABLE "rooms" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "capacity" INTEGER,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "rooms_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "rooms_facility_fkey" FOREIGN KEY ("tenant_id", "facility_id")
      REFERENCES "facilities"("tenant_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "rooms_tenant_id_facility_id_id_key" ON "rooms"("tenant_id", "facility_id", "id");
CREATE UNIQUE INDEX "rooms_facility_id_name_key" ON "rooms"("facility_id", "name");

-- An event (and an occurrence override) is booked into a room of its own facility and tenant.
ALTER TABLE "program_class_events" ADD COLUMN "room_id" UUID,
  ADD CONSTRAINT "program_class_events_room_fkey" FOREIGN KEY ("tenant_id", "facility_id", "room_id")
    REFERENCES "rooms"("tenant_id", "facility_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "program_class_events_room_id_idx" ON "program_class_events"("room_id");
ALTER TABLE "program_class_event_overrides" ADD COLUMN "room_id" UUID, ADD COLUMN "closure_id" UUID,
  ADD CONSTRAINT "program_class_event_overrides_room_fkey" FOREIGN KEY ("tenant_id", "facility_id", "room_id")
    REFERENCES "rooms"("tenant_id", "facility_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "program_class_event_overrides_closure_id_idx" ON "program_class_event_overrides"("closure_id");

CREATE TABLE "facility_closures" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by" UUID NOT NULL,
    "lifted_at" TIMESTAMPTZ(3),
    "lifted_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "facility_closures_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "facility_closures_facility_fkey" FOREIGN KEY ("tenant_id", "facility_id")
      REFERENCES "facilities"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "facility_closures_facility_id_date_idx" ON "facility_closures"("facility_id", "date");
-- At most one closure in force per facility and day.
CREATE UNIQUE INDEX "facility_closures_open_key" ON "facility_closures"("facility_id", "date") WHERE "lifted_at" IS NULL;

CREATE TABLE "catalog_changes" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "catalog_changes_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "catalog_changes_entity_id_created_at_idx" ON "catalog_changes"("entity_id", "created_at");

ALTER TABLE "class_waitlist" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "class_waitlist" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "class_waitlist" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "rooms" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "rooms" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "rooms" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "facility_closures" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "facility_closures" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "facility_closures" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
ALTER TABLE "catalog_changes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "catalog_changes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "catalog_changes" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));
GRANT USAGE, SELECT ON SEQUENCE "class_waitlist_seq_seq" TO pathway_app;
