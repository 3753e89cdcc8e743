-- City resources (seed 004 city_resources): assessor, tax, permit, GIS and reentry service links per
-- city/state/zip, with an optional location searched by radius like listings (data/geo.ts).
CREATE TABLE "city_resources" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "city" VARCHAR(100) NOT NULL,
    "state" VARCHAR(50) NOT NULL,
    "zip_code" VARCHAR(20),
    "resource_type" VARCHAR(50) NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "url" VARCHAR(255) NOT NULL,
    "description" TEXT,
    "api_available" BOOLEAN NOT NULL DEFAULT false,
    "api_endpoint" VARCHAR(255),
    "latitude" DECIMAL(9,6),
    "longitude" DECIMAL(9,6),
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "city_resources_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "city_resources_location_check" CHECK (("latitude" IS NULL) = ("longitude" IS NULL)
      AND ("latitude" IS NULL OR ("latitude" BETWEEN -90 AND 90 AND "longitude" BETWEEN -180 AND 180)))
);

-- Seed 004's lookup indexes, per tenant; the (latitude, longitude) btree is the bounding-box prefilter.
CREATE INDEX "city_resources_tenant_id_city_state_zip_code_idx" ON "city_resources"("tenant_id", "city", "state", "zip_code");
CREATE INDEX "city_resources_tenant_id_resource_type_idx" ON "city_resources"("tenant_id", "resource_type");
CREATE INDEX "city_resources_latitude_longitude_idx" ON "city_resources"("latitude", "longitude");

-- The same automatic choice as listings: a GiST index on market.geo_earth where the listings migration built it.
DO $geo$
BEGIN
  IF to_regprocedure('market.geo_earth(double precision,double precision)') IS NOT NULL THEN
    EXECUTE 'CREATE INDEX "city_resources_geo_earth_idx" ON "market"."city_resources" USING gist ("market".geo_earth("latitude"::DOUBLE PRECISION, "longitude"::DOUBLE PRECISION))';
  END IF;
END
$geo$;

ALTER TABLE "city_resources" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "city_resources" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "city_resources" USING ("market".tenant_visible(tenant_id)) WITH CHECK ("market".tenant_visible(tenant_id));
