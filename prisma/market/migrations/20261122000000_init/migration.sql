-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "market";

-- CreateEnum
CREATE TYPE "PropertyType" AS ENUM ('vacant_lot', 'house', 'apartment', 'commercial', 'transitional_housing');

-- CreateEnum
CREATE TYPE "PropertyStatus" AS ENUM ('available', 'reserved', 'sold');

-- CreateTable
CREATE TABLE "properties" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "owner_id" UUID NOT NULL,
    "property_type" "PropertyType" NOT NULL,
    "status" "PropertyStatus" NOT NULL DEFAULT 'available',
    "address" JSONB NOT NULL,
    "latitude" DECIMAL(9,6),
    "longitude" DECIMAL(9,6),
    "price" DECIMAL(12,2) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "size_sqft" DECIMAL(10,2),
    "zoning" VARCHAR(100),
    "description" TEXT,
    "features" JSONB NOT NULL DEFAULT '{}',
    "is_verified" BOOLEAN NOT NULL DEFAULT false,
    "source" VARCHAR(100),
    "source_id" VARCHAR(255),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "properties_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "properties_tenant_id_created_at_idx" ON "properties"("tenant_id", "created_at");

-- CreateIndex
CREATE INDEX "properties_tenant_id_price_idx" ON "properties"("tenant_id", "price");

-- CreateIndex
CREATE INDEX "properties_tenant_id_status_property_type_idx" ON "properties"("tenant_id", "status", "property_type");

-- CreateIndex
CREATE INDEX "properties_owner_id_created_at_idx" ON "properties"("owner_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "properties_tenant_id_source_source_id_key" ON "properties"("tenant_id", "source", "source_id");



-- Row-Level Security: the second, independent layer under graphql-shield. The application connects
-- as pathway_app (NOSUPERUSER NOBYPASSRLS) and sets app.tenant_id / app.reach per transaction
-- (kit withScope). Without those settings a query sees no tenant-scoped rows at all.
GRANT USAGE ON SCHEMA "market" TO pathway_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "market" TO pathway_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA "market" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pathway_app;

CREATE FUNCTION "market".tenant_visible(row_tenant UUID) RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
  SELECT current_setting('app.reach', true) IN ('system', 'service')
      OR row_tenant::text = current_setting('app.tenant_id', true)
$$;

ALTER TABLE "properties" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "properties" USING ("market".tenant_visible(tenant_id)) WITH CHECK ("market".tenant_visible(tenant_id));
