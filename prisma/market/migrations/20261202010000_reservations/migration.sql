-- Reservations (seed 004 property_reservations): a person's hold on a listing for a period, with a deposit.
-- CreateEnum
CREATE TYPE "ReservationStatus" AS ENUM ('pending', 'confirmed', 'declined', 'cancelled', 'expired');

-- CreateTable
CREATE TABLE "property_reservations" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "property_id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "facility_id" UUID,
    "status" "ReservationStatus" NOT NULL DEFAULT 'pending',
    "reservation_start" TIMESTAMPTZ(3) NOT NULL,
    "reservation_end" TIMESTAMPTZ(3) NOT NULL,
    "deposit_amount" DECIMAL(12,2),
    "deposit_currency" CHAR(3),
    "notes" TEXT,
    "hold_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_at" TIMESTAMPTZ(3),
    "decided_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "property_reservations_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "property_reservations_property_id_reservation_start_idx" ON "property_reservations"("property_id", "reservation_start");

-- CreateIndex
CREATE INDEX "property_reservations_user_id_created_at_idx" ON "property_reservations"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "property_reservations_tenant_id_facility_id_created_at_idx" ON "property_reservations"("tenant_id", "facility_id", "created_at");

-- CreateIndex
CREATE INDEX "property_reservations_owner_id_created_at_idx" ON "property_reservations"("owner_id", "created_at");

-- AddForeignKey
ALTER TABLE "property_reservations" ADD CONSTRAINT "property_reservations_property_id_fkey" FOREIGN KEY ("property_id") REFERENCES "properties"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- A period is a real interval, and a deposit is never negative.
ALTER TABLE "property_reservations" ADD CONSTRAINT "property_reservations_period_check" CHECK ("reservation_end" > "reservation_start");
ALTER TABLE "property_reservations" ADD CONSTRAINT "property_reservations_deposit_check"
  CHECK ("deposit_amount" IS NULL OR ("deposit_amount" >= 0 AND "deposit_currency" IS NOT NULL));

-- Two active (pending or confirmed) reservations of one listing never overlap, whatever the
-- application does and however many requests race: an exclusion constraint over the half-open
-- period [start, end), so one ending at 12:00 and the next starting at 12:00 both stand. GiST needs
-- btree_gist for the uuid equality. Violations are SQLSTATE 23P01 (writes/reservations.ts).
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA "market";
ALTER TABLE "property_reservations" ADD CONSTRAINT "property_reservations_no_overlap"
  EXCLUDE USING gist ("property_id" WITH =, tstzrange("reservation_start", "reservation_end", '[)') WITH &&)
  WHERE ("status" IN ('pending', 'confirmed'));

-- The expiry job's sweep: pending holds by expiry time.
CREATE INDEX "property_reservations_pending_hold_idx" ON "property_reservations"("hold_expires_at") WHERE "status" = 'pending';

ALTER TABLE "property_reservations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "property_reservations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "property_reservations" USING ("market".tenant_visible(tenant_id)) WITH CHECK ("market".tenant_visible(tenant_id));
