-- The facility's time zone as campus gave it when the student was last placed (insights read
-- request times in it; the insights job runs as the service and cannot ask campus as a caller).
ALTER TABLE "students" ADD COLUMN "facility_timezone" TEXT;
