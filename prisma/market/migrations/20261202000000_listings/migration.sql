-- Listings become editable (status unlisted/archived, verification), get media and an activity log,
-- and can be searched by radius. Enum values added here are not used in this migration (Postgres
-- refuses a new enum value inside the transaction that added it).
-- CreateEnum
CREATE TYPE "MediaType" AS ENUM ('image', 'video', 'model_3d');

-- AlterEnum


ALTER TYPE "PropertyStatus" ADD VALUE 'unlisted';
ALTER TYPE "PropertyStatus" ADD VALUE 'archived';

-- AlterTable
ALTER TABLE "properties" ADD COLUMN     "verified_at" TIMESTAMPTZ(3),
ADD COLUMN     "verified_by_id" UUID;

-- CreateTable
CREATE TABLE "property_media" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "property_id" UUID NOT NULL,
    "media_type" "MediaType" NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "is_primary" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "property_media_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "activity_logs" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "activity_type" VARCHAR(50) NOT NULL,
    "entity_type" VARCHAR(50) NOT NULL,
    "entity_id" UUID NOT NULL,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "activity_logs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "property_media_property_id_position_key" ON "property_media"("property_id", "position");

-- CreateIndex
CREATE INDEX "activity_logs_entity_type_entity_id_created_at_idx" ON "activity_logs"("entity_type", "entity_id", "created_at");

-- CreateIndex
CREATE INDEX "activity_logs_tenant_id_actor_id_created_at_idx" ON "activity_logs"("tenant_id", "actor_id", "created_at");

-- CreateIndex
CREATE INDEX "properties_tenant_id_size_sqft_idx" ON "properties"("tenant_id", "size_sqft");

-- CreateIndex
CREATE INDEX "properties_latitude_longitude_idx" ON "properties"("latitude", "longitude");

-- AddForeignKey
ALTER TABLE "property_media" ADD CONSTRAINT "property_media_property_id_fkey" FOREIGN KEY ("property_id") REFERENCES "properties"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one primary picture per listing, enforced by the database.
CREATE UNIQUE INDEX "property_media_one_primary" ON "property_media"("property_id") WHERE "is_primary";

-- Row-Level Security for the new tenant tables, like every tenant table (test/rls-coverage.test.ts).
ALTER TABLE "property_media" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "property_media" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "property_media" USING ("market".tenant_visible(tenant_id)) WITH CHECK ("market".tenant_visible(tenant_id));
ALTER TABLE "activity_logs" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "activity_logs" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "activity_logs" USING ("market".tenant_visible(tenant_id)) WITH CHECK ("market".tenant_visible(tenant_id));

-- Radius search (data/geo.ts). Chosen here, automatically, in this order:
--   1. `cube` available (a contrib extension; Debian's PostgreSQL ships it): each point becomes a
--      3-D point on a sphere of the mean Earth radius (6371008.8 m), as earthdistance's ll_to_earth
--      does, indexed with GiST; a search asks for the cube around the circle's chord, then the exact
--      haversine distance. Written here with every name schema-qualified instead of using
--      earthdistance's own functions: theirs resolve `cube` and `earth()` through the search_path,
--      which breaks an expression index wherever maintenance runs with a restricted search_path
--      (VACUUM/ANALYZE since PostgreSQL 17, pg_restore).
--   2. otherwise the btree on (latitude, longitude) above: a bounding-box prefilter, then the exact
--      haversine distance. PostGIS is not used: the project's machines don't have it, and (1)
--      gives the same index-backed answer.
-- Whichever was built, the subgraph finds out at start (market.geo_earth exists or not).
DO $geo$
DECLARE
  cube_schema TEXT;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'cube') THEN
    BEGIN
      CREATE EXTENSION IF NOT EXISTS cube WITH SCHEMA "market";
    EXCEPTION WHEN insufficient_privilege OR feature_not_supported OR undefined_file THEN
      RAISE NOTICE 'cube could not be installed (%): radius search uses the (latitude, longitude) btree', SQLERRM;
    END;
  END IF;
  SELECT n.nspname INTO cube_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'cube';
  IF cube_schema IS NOT NULL THEN
    EXECUTE format(
      'CREATE FUNCTION "market".geo_earth(lat DOUBLE PRECISION, lng DOUBLE PRECISION) RETURNS %1$I.cube
         LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
         $f$ SELECT %1$I.cube(%1$I.cube(%1$I.cube(6371008.8 * pg_catalog.cos(pg_catalog.radians(lat)) * pg_catalog.cos(pg_catalog.radians(lng))),
                                        6371008.8 * pg_catalog.cos(pg_catalog.radians(lat)) * pg_catalog.sin(pg_catalog.radians(lng))),
                              6371008.8 * pg_catalog.sin(pg_catalog.radians(lat))) $f$',
      cube_schema);
    EXECUTE 'CREATE INDEX "properties_geo_earth_idx" ON "market"."properties" USING gist ("market".geo_earth("latitude"::DOUBLE PRECISION, "longitude"::DOUBLE PRECISION))';
  END IF;
END
$geo$;
