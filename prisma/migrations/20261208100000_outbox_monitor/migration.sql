-- AlterEnum
ALTER TYPE "AlertKind" ADD VALUE 'OUTBOX_STALLED';

-- CreateTable
CREATE TABLE "OutboxSample" (
    "id" BIGSERIAL NOT NULL,
    "clusterName" TEXT NOT NULL,
    "outbox" TEXT NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,
    "unpublished" INTEGER,
    "oldestAgeMs" DOUBLE PRECISION,
    "publishedPerSec" DOUBLE PRECISION,
    "status" TEXT NOT NULL,
    "error" TEXT,

    CONSTRAINT "OutboxSample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxSample_clusterName_takenAt_idx" ON "OutboxSample"("clusterName", "takenAt");

-- CreateIndex
CREATE INDEX "OutboxSample_takenAt_idx" ON "OutboxSample"("takenAt");
