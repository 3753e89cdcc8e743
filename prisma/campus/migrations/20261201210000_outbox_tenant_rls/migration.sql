-- The outbox holds tenant data (each event is about one tenant's rows): it gets the tenant's column
-- and the same Row-Level Security as every tenant table, so the application role sees only its own
-- tenant's waiting events. kit/outbox fills tenant_id from the event; the relay reads as the service.
-- Events waiting at this migration take their tenant from their own envelope.
ALTER TABLE "outbox_events" ADD COLUMN "tenant_id" UUID;
UPDATE "outbox_events" SET "tenant_id" = ("event" ->> 'tenantId')::uuid;
ALTER TABLE "outbox_events" ALTER COLUMN "tenant_id" SET NOT NULL;
ALTER TABLE "outbox_events" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "outbox_events" USING ("campus".tenant_visible(tenant_id)) WITH CHECK ("campus".tenant_visible(tenant_id));

-- FORCE: the policies bind the tables' owner as well, so only a superuser or a BYPASSRLS role (the
-- migrations and demo seeding) reads across tenants unscoped (test/rls-coverage.test.ts checks every table).
ALTER TABLE "class_changes" FORCE ROW LEVEL SECURITY;
ALTER TABLE "class_instructors" FORCE ROW LEVEL SECURITY;
ALTER TABLE "facilities" FORCE ROW LEVEL SECURITY;
ALTER TABLE "facilities_programs" FORCE ROW LEVEL SECURITY;
ALTER TABLE "program_class_enrollments" FORCE ROW LEVEL SECURITY;
ALTER TABLE "program_class_event_attendance" FORCE ROW LEVEL SECURITY;
ALTER TABLE "program_class_event_overrides" FORCE ROW LEVEL SECURITY;
ALTER TABLE "program_class_events" FORCE ROW LEVEL SECURITY;
ALTER TABLE "program_classes" FORCE ROW LEVEL SECURITY;
ALTER TABLE "program_types" FORCE ROW LEVEL SECURITY;
ALTER TABLE "programs" FORCE ROW LEVEL SECURITY;
ALTER TABLE "outbox_events" FORCE ROW LEVEL SECURITY;
