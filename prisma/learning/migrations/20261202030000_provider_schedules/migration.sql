-- Per-platform sync schedules (seed 003 cron_jobs / runnable_tasks): a cron expression read in the
-- platform's time zone, and when the schedule last asked for a run.
-- AlterTable
ALTER TABLE "provider_platforms" ADD COLUMN     "last_scheduled_at" TIMESTAMPTZ(3),
ADD COLUMN     "sync_schedule" TEXT DEFAULT '0 2 * * *',
ADD COLUMN     "sync_timezone" TEXT NOT NULL DEFAULT 'UTC';

