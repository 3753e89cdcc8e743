-- Tags and entity tags (seed 004), per tenant. entity_tags is the only store of tag references, also
-- for the items that live in MongoDB (assets, spaces, business models, projects): lists filtered by
-- tag ask it for the ids first (data/tags.ts).
CREATE TYPE "TaggedItemType" AS ENUM ('property', 'asset', 'space', 'business_model', 'project');

CREATE TABLE "tags" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "slug" VARCHAR(60) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "category" VARCHAR(50),
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tags_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "tags_slug_check" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$')
);

CREATE TABLE "entity_tags" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "tag_id" UUID NOT NULL,
    "entity_type" "TaggedItemType" NOT NULL,
    "entity_id" UUID NOT NULL,
    "tagged_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "entity_tags_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "tags_tenant_id_slug_key" ON "tags"("tenant_id", "slug");
CREATE INDEX "tags_tenant_id_category_idx" ON "tags"("tenant_id", "category");
CREATE UNIQUE INDEX "entity_tags_tag_id_entity_type_entity_id_key" ON "entity_tags"("tag_id", "entity_type", "entity_id");
CREATE INDEX "entity_tags_tenant_id_entity_type_entity_id_idx" ON "entity_tags"("tenant_id", "entity_type", "entity_id");

ALTER TABLE "entity_tags" ADD CONSTRAINT "entity_tags_tag_id_fkey" FOREIGN KEY ("tag_id") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "tags" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tags" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "tags" USING ("market".tenant_visible(tenant_id)) WITH CHECK ("market".tenant_visible(tenant_id));
ALTER TABLE "entity_tags" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "entity_tags" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "entity_tags" USING ("market".tenant_visible(tenant_id)) WITH CHECK ("market".tenant_visible(tenant_id));
