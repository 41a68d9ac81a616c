-- CreateEnum
CREATE TYPE "DlqMessageStatus" AS ENUM ('QUEUED', 'REDRIVEN', 'DISCARDED');

-- CreateTable
CREATE TABLE "DlqMessageState" (
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,
    "status" "DlqMessageStatus" NOT NULL,
    "jobKey" TEXT,
    "jobId" INTEGER,
    "targetTopic" TEXT,
    "redriveAttempt" INTEGER,
    "reason" TEXT,
    "editBefore" TEXT,
    "editAfter" TEXT,
    "actor" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DlqMessageState_pkey" PRIMARY KEY ("clusterName","topic","partition","offset")
);

-- CreateIndex
CREATE INDEX "DlqMessageState_jobKey_status_idx" ON "DlqMessageState"("jobKey", "status");

-- CreateIndex
CREATE INDEX "DlqMessageState_clusterName_topic_status_idx" ON "DlqMessageState"("clusterName", "topic", "status");
