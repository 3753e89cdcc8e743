-- An in-app message the guardian acknowledged (read) is delivered: status 'delivered' and when.
ALTER TABLE "communication_logs" ADD COLUMN "delivered_at" TIMESTAMPTZ(3);
