-- CreateEnum
CREATE TYPE "WebhookDeliveryState" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- AlterTable
ALTER TABLE "Alert" ADD COLUMN     "webhookReason" TEXT,
ADD COLUMN     "webhookState" "WebhookDeliveryState";

-- Hand-added: keep what earlier deliveries recorded (an HTTP status or an error code) as the reason,
-- before the old column goes.
UPDATE "Alert" SET
  "webhookState" = CASE WHEN "webhookStatus" ~ '^2[0-9][0-9]$' THEN 'DELIVERED'::"WebhookDeliveryState" ELSE 'FAILED'::"WebhookDeliveryState" END,
  "webhookReason" = CASE WHEN "webhookStatus" ~ '^[0-9]{3}$' THEN 'HTTP ' || "webhookStatus" ELSE "webhookStatus" END
WHERE "webhookStatus" IS NOT NULL;

ALTER TABLE "Alert" DROP COLUMN "webhookStatus";
