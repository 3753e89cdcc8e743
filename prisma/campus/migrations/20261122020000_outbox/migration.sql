-- Transactional outbox: domain events are written in the same transaction as the change they
-- describe, and moved to the Redis event stream after commit by the subgraph's relay (kit/outbox).
-- No tenant column and no RLS: only the service relay reads it; the events carry their tenant.
-- CreateTable
CREATE TABLE "outbox_events" (
    "id" BIGSERIAL NOT NULL,
    "event" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("id")
);

GRANT USAGE, SELECT ON SEQUENCE "outbox_events_id_seq" TO pathway_app;
