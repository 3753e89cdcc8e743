-- Imports larger than one transaction run as a job (startStudentImport), in chunks of whole families.
ALTER TABLE "student_imports"
  ADD COLUMN "mode" TEXT NOT NULL DEFAULT 'inline',
  ADD COLUMN "status" TEXT NOT NULL DEFAULT 'completed',
  ADD COLUMN "dry_run" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "allow_partial" BOOLEAN NOT NULL DEFAULT false,
  ADD COLUMN "applied" BOOLEAN NOT NULL DEFAULT true,
  ADD COLUMN "families_created" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "guardians_created" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "guardians_updated" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "phase" TEXT,
  ADD COLUMN "chunks_done" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "chunk_count" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "processed_rows" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "file_gzip" BYTEA,
  ADD COLUMN "actor" JSONB,
  ADD COLUMN "facility_id" UUID,
  ADD COLUMN "facility_timezone" TEXT,
  ADD COLUMN "error" TEXT,
  ADD COLUMN "started_at" TIMESTAMPTZ(3),
  ADD COLUMN "finished_at" TIMESTAMPTZ(3),
  ADD CONSTRAINT "student_imports_mode_check" CHECK ("mode" IN ('inline', 'job')),
  ADD CONSTRAINT "student_imports_status_check" CHECK ("status" IN ('queued', 'running', 'completed', 'failed')),
  ADD CONSTRAINT "student_imports_phase_check" CHECK ("phase" IS NULL OR "phase" IN ('check', 'write'));

CREATE TABLE "student_import_rows" (
    "import_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "tenant_id" UUID NOT NULL,
    "student_number" TEXT,
    "status" TEXT NOT NULL,
    "student_id" UUID,
    "family_id" UUID,
    "reason" TEXT,
    "column" TEXT,
    "message" TEXT,

    CONSTRAINT "student_import_rows_pkey" PRIMARY KEY ("import_id","line"),
    CONSTRAINT "student_import_rows_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "student_imports"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "student_import_rows_status_check" CHECK ("status" IN ('created', 'updated', 'unchanged', 'rejected'))
);
CREATE INDEX "student_import_rows_import_id_status_line_idx" ON "student_import_rows"("import_id", "status", "line");

ALTER TABLE "student_import_rows" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "student_import_rows" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "student_import_rows" USING ("behavior".tenant_visible(tenant_id)) WITH CHECK ("behavior".tenant_visible(tenant_id));
