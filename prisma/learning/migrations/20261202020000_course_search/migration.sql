-- Course full-text search (seed 003 indexes course names with GIN over to_tsvector('english', …)):
-- one generated document per course, name and alternative name weighted A, description B, so
-- ts_rank puts title matches first. Kept by Postgres itself on every insert and update.
ALTER TABLE "courses" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', coalesce("name", '')), 'A') ||
  setweight(to_tsvector('english', coalesce("alt_name", '')), 'A') ||
  setweight(to_tsvector('english', coalesce("description", '')), 'B')
) STORED;

CREATE INDEX "courses_search_vector_idx" ON "courses" USING GIN ("search_vector");

-- Lists filter by outcome type (`outcome_types @> ARRAY[…]`).
CREATE INDEX "courses_outcome_types_idx" ON "courses" USING GIN ("outcome_types");
