-- The outbox holds tenant data (each event is about one tenant's rows): it gets the tenant's column
-- and the same Row-Level Security as every tenant table, so the application role sees only its own
-- tenant's waiting events. kit/outbox fills tenant_id from the event; the relay reads as the service.
-- Events waiting at this migration take their tenant from their own envelope.
ALTER TABLE "outbox_events" ADD COLUMN "tenant_id" UUID;
UPDATE "outbox_events" SET "tenant_id" = ("event" ->> 'tenantId')::uuid;
ALTER TABLE "outbox_events" ALTER COLUMN "tenant_id" SET NOT NULL;
ALTER TABLE "outbox_events" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "outbox_events" USING ("identity".tenant_visible(tenant_id)) WITH CHECK ("identity".tenant_visible(tenant_id));

-- FORCE: the policies bind the tables' owner as well, so only a superuser or a BYPASSRLS role (the
-- migrations and demo seeding) reads across tenants unscoped (test/rls-coverage.test.ts checks every table).
ALTER TABLE "account_history" FORCE ROW LEVEL SECURITY;
ALTER TABLE "facility_features" FORCE ROW LEVEL SECURITY;
ALTER TABLE "failed_logins" FORCE ROW LEVEL SECURITY;
ALTER TABLE "integrations" FORCE ROW LEVEL SECURITY;
ALTER TABLE "notifications" FORCE ROW LEVEL SECURITY;
ALTER TABLE "practicality_factors" FORCE ROW LEVEL SECURITY;
ALTER TABLE "refresh_tokens" FORCE ROW LEVEL SECURITY;
ALTER TABLE "tenants" FORCE ROW LEVEL SECURITY;
ALTER TABLE "user_extensions" FORCE ROW LEVEL SECURITY;
ALTER TABLE "user_preferences" FORCE ROW LEVEL SECURITY;
ALTER TABLE "user_roles" FORCE ROW LEVEL SECURITY;
ALTER TABLE "user_subscriptions" FORCE ROW LEVEL SECURITY;
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
ALTER TABLE "webhook_changes" FORCE ROW LEVEL SECURITY;
ALTER TABLE "webhook_deliveries" FORCE ROW LEVEL SECURITY;
ALTER TABLE "webhook_endpoints" FORCE ROW LEVEL SECURITY;
ALTER TABLE "outbox_events" FORCE ROW LEVEL SECURITY;
