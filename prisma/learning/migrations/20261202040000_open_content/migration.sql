-- Open content (seed 003 open_content_providers, libraries, videos, helpful_links,
-- open_content_favorites) with per-facility visibility (one row per facility and item: hidden
-- until an administrator shows it) and residents' content requests. Libraries, videos and links
-- carry a generated full-text document (title A, description B), GIN-indexed, for the one search.
-- CreateEnum
CREATE TYPE "OpenContentProviderKind" AS ENUM ('kiwix', 'youtube', 'khan_academy');

-- CreateEnum
CREATE TYPE "VideoAvailability" AS ENUM ('available', 'processing', 'has_error');

-- CreateEnum
CREATE TYPE "ContentRequestStatus" AS ENUM ('open', 'fulfilled', 'declined');

-- CreateTable
CREATE TABLE "open_content_providers" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "kind" "OpenContentProviderKind" NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "api_url" TEXT,
    "thumbnail_url" TEXT,
    "description" TEXT,
    "currently_enabled" BOOLEAN NOT NULL DEFAULT true,
    "last_synced_at" TIMESTAMPTZ(3),
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "open_content_providers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "libraries" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "open_content_provider_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "language" TEXT,
    "description" TEXT,
    "url" TEXT NOT NULL,
    "thumbnail_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "search_vector" tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', coalesce("title", '')), 'A') ||
      setweight(to_tsvector('english', coalesce("description", '')), 'B')
    ) STORED,

    CONSTRAINT "libraries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "videos" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "open_content_provider_id" UUID NOT NULL,
    "external_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "availability" "VideoAvailability" NOT NULL DEFAULT 'processing',
    "channel_title" TEXT,
    "duration_seconds" INTEGER,
    "description" TEXT,
    "thumbnail_url" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "last_attempt_at" TIMESTAMPTZ(3),
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "search_vector" tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', coalesce("title", '')), 'A') ||
      setweight(to_tsvector('english', coalesce("channel_title", '')), 'B') ||
      setweight(to_tsvector('english', coalesce("description", '')), 'B')
    ) STORED,

    CONSTRAINT "videos_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "helpful_links" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "open_content_provider_id" UUID,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "url" TEXT NOT NULL,
    "thumbnail_url" TEXT,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "search_vector" tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('english', coalesce("title", '')), 'A') ||
      setweight(to_tsvector('english', coalesce("description", '')), 'B')
    ) STORED,

    CONSTRAINT "helpful_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "open_content_visibility" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID NOT NULL,
    "library_id" UUID,
    "video_id" UUID,
    "helpful_link_id" UUID,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "open_content_visibility_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "open_content_favorites" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "facility_id" UUID,
    "library_id" UUID,
    "video_id" UUID,
    "helpful_link_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "open_content_favorites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "content_requests" (
    "id" UUID NOT NULL,
    "tenant_id" UUID NOT NULL,
    "facility_id" UUID,
    "user_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "details" TEXT,
    "url" TEXT,
    "status" "ContentRequestStatus" NOT NULL DEFAULT 'open',
    "resolution_note" TEXT,
    "resolved_by" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "content_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "open_content_providers_tenant_id_title_key" ON "open_content_providers"("tenant_id", "title");

-- CreateIndex
CREATE INDEX "libraries_tenant_id_title_idx" ON "libraries"("tenant_id", "title");

-- CreateIndex
CREATE UNIQUE INDEX "libraries_open_content_provider_id_external_id_key" ON "libraries"("open_content_provider_id", "external_id");

-- CreateIndex
CREATE INDEX "videos_tenant_id_availability_idx" ON "videos"("tenant_id", "availability");

-- CreateIndex
CREATE UNIQUE INDEX "videos_open_content_provider_id_external_id_key" ON "videos"("open_content_provider_id", "external_id");

-- CreateIndex
CREATE UNIQUE INDEX "helpful_links_tenant_id_url_key" ON "helpful_links"("tenant_id", "url");

-- CreateIndex
CREATE INDEX "open_content_visibility_facility_id_idx" ON "open_content_visibility"("facility_id");

-- CreateIndex
CREATE UNIQUE INDEX "open_content_visibility_library_id_facility_id_key" ON "open_content_visibility"("library_id", "facility_id");

-- CreateIndex
CREATE UNIQUE INDEX "open_content_visibility_video_id_facility_id_key" ON "open_content_visibility"("video_id", "facility_id");

-- CreateIndex
CREATE UNIQUE INDEX "open_content_visibility_helpful_link_id_facility_id_key" ON "open_content_visibility"("helpful_link_id", "facility_id");

-- CreateIndex
CREATE INDEX "open_content_favorites_user_id_created_at_idx" ON "open_content_favorites"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "open_content_favorites_user_id_library_id_key" ON "open_content_favorites"("user_id", "library_id");

-- CreateIndex
CREATE UNIQUE INDEX "open_content_favorites_user_id_video_id_key" ON "open_content_favorites"("user_id", "video_id");

-- CreateIndex
CREATE UNIQUE INDEX "open_content_favorites_user_id_helpful_link_id_key" ON "open_content_favorites"("user_id", "helpful_link_id");

-- CreateIndex
CREATE INDEX "content_requests_tenant_id_facility_id_status_created_at_idx" ON "content_requests"("tenant_id", "facility_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "content_requests_user_id_created_at_idx" ON "content_requests"("user_id", "created_at");

-- AddForeignKey
ALTER TABLE "libraries" ADD CONSTRAINT "libraries_open_content_provider_id_fkey" FOREIGN KEY ("open_content_provider_id") REFERENCES "open_content_providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "videos" ADD CONSTRAINT "videos_open_content_provider_id_fkey" FOREIGN KEY ("open_content_provider_id") REFERENCES "open_content_providers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "helpful_links" ADD CONSTRAINT "helpful_links_open_content_provider_id_fkey" FOREIGN KEY ("open_content_provider_id") REFERENCES "open_content_providers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "open_content_visibility" ADD CONSTRAINT "open_content_visibility_library_id_fkey" FOREIGN KEY ("library_id") REFERENCES "libraries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "open_content_visibility" ADD CONSTRAINT "open_content_visibility_video_id_fkey" FOREIGN KEY ("video_id") REFERENCES "videos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "open_content_visibility" ADD CONSTRAINT "open_content_visibility_helpful_link_id_fkey" FOREIGN KEY ("helpful_link_id") REFERENCES "helpful_links"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "open_content_favorites" ADD CONSTRAINT "open_content_favorites_library_id_fkey" FOREIGN KEY ("library_id") REFERENCES "libraries"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "open_content_favorites" ADD CONSTRAINT "open_content_favorites_video_id_fkey" FOREIGN KEY ("video_id") REFERENCES "videos"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "open_content_favorites" ADD CONSTRAINT "open_content_favorites_helpful_link_id_fkey" FOREIGN KEY ("helpful_link_id") REFERENCES "helpful_links"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A visibility or favorite row names exactly one item.
ALTER TABLE "open_content_visibility" ADD CONSTRAINT "open_content_visibility_one_item" CHECK (num_nonnulls("library_id", "video_id", "helpful_link_id") = 1);
ALTER TABLE "open_content_favorites" ADD CONSTRAINT "open_content_favorites_one_item" CHECK (num_nonnulls("library_id", "video_id", "helpful_link_id") = 1);

CREATE INDEX "libraries_search_vector_idx" ON "libraries" USING GIN ("search_vector");
CREATE INDEX "videos_search_vector_idx" ON "videos" USING GIN ("search_vector");
CREATE INDEX "helpful_links_search_vector_idx" ON "helpful_links" USING GIN ("search_vector");

-- Row-Level Security (forced), as every learning table.
ALTER TABLE "open_content_providers" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "open_content_providers" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "open_content_providers" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "libraries" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "libraries" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "libraries" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "videos" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "videos" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "videos" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "helpful_links" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "helpful_links" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "helpful_links" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "open_content_visibility" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "open_content_visibility" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "open_content_visibility" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "open_content_favorites" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "open_content_favorites" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "open_content_favorites" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
ALTER TABLE "content_requests" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "content_requests" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "content_requests" USING ("learning".tenant_visible(tenant_id)) WITH CHECK ("learning".tenant_visible(tenant_id));
