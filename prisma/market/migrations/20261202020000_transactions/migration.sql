-- Transactions of listings and digital assets (seed 004 property_transactions + asset_transactions), idempotent by key.
-- CreateEnum
CREATE TYPE "TransactionItem" AS ENUM ('property', 'asset');

-- CreateEnum
CREATE TYPE "TransactionType" AS ENUM ('sale', 'lease', 'transfer', 'mint');

-- CreateEnum
CREATE TYPE "TransactionStatus" AS ENUM ('pending', 'completed', 'failed');

-- CreateTable
CREATE TABLE "transactions" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "item_type" "TransactionItem" NOT NULL,
    "property_id" UUID,
    "asset_id" UUID,
    "transaction_type" "TransactionType" NOT NULL,
    "status" "TransactionStatus" NOT NULL DEFAULT 'pending',
    "seller_id" UUID,
    "buyer_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "amount" DECIMAL(18,8),
    "currency" VARCHAR(10),
    "payment_method" VARCHAR(50),
    "payment_reference" VARCHAR(255),
    "seller_wallet" VARCHAR(255),
    "buyer_wallet" VARCHAR(255),
    "blockchain_tx_hash" VARCHAR(255),
    "failure_reason" TEXT,
    "idempotency_key" VARCHAR(255) NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "transactions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "transactions_property_id_created_at_idx" ON "transactions"("property_id", "created_at");

-- CreateIndex
CREATE INDEX "transactions_asset_id_created_at_idx" ON "transactions"("asset_id", "created_at");

-- CreateIndex
CREATE INDEX "transactions_seller_id_created_at_idx" ON "transactions"("seller_id", "created_at");

-- CreateIndex
CREATE INDEX "transactions_buyer_id_created_at_idx" ON "transactions"("buyer_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "transactions_tenant_id_actor_id_idempotency_key_key" ON "transactions"("tenant_id", "actor_id", "idempotency_key");

-- AddForeignKey
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_property_id_fkey" FOREIGN KEY ("property_id") REFERENCES "properties"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Exactly one item, of the kind named; a mint has no seller; amounts are never negative.
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_item_check" CHECK (
  ("item_type" = 'property' AND "property_id" IS NOT NULL AND "asset_id" IS NULL AND "transaction_type" IN ('sale', 'lease'))
  OR ("item_type" = 'asset' AND "asset_id" IS NOT NULL AND "property_id" IS NULL AND "transaction_type" IN ('sale', 'transfer', 'mint')));
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_seller_check" CHECK (("transaction_type" = 'mint') = ("seller_id" IS NULL));
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_amount_check" CHECK ("amount" IS NULL OR ("amount" >= 0 AND "currency" IS NOT NULL));
-- The reconciliation job's sweep: pending asset transactions by age.
CREATE INDEX "transactions_pending_asset_idx" ON "transactions"("created_at") WHERE "status" = 'pending' AND "item_type" = 'asset';

ALTER TABLE "transactions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "transactions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "transactions" USING ("market".tenant_visible(tenant_id)) WITH CHECK ("market".tenant_visible(tenant_id));
