-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "AlertKind" ADD VALUE 'FLOW_STUCK';
ALTER TYPE "AlertKind" ADD VALUE 'FLOW_SLO_BURN';
ALTER TYPE "AlertKind" ADD VALUE 'FLOW_DUPLICATES';

-- CreateTable
CREATE TABLE "Flow" (
    "id" TEXT NOT NULL,
    "clusterName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "definition" JSONB NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Flow_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FlowInstance" (
    "flowId" TEXT NOT NULL,
    "correlationId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "lastEventAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),
    "detail" JSONB NOT NULL,

    CONSTRAINT "FlowInstance_pkey" PRIMARY KEY ("flowId","correlationId")
);

-- CreateTable
CREATE TABLE "FlowBucket" (
    "flowId" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "started" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "compensated" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "overSlo" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "repeated" INTEGER NOT NULL DEFAULT 0,
    "outOfOrder" INTEGER NOT NULL DEFAULT 0,
    "latency" JSONB NOT NULL,

    CONSTRAINT "FlowBucket_pkey" PRIMARY KEY ("flowId","minute")
);

-- CreateTable
CREATE TABLE "FlowTotal" (
    "flowId" TEXT NOT NULL,
    "totals" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowTotal_pkey" PRIMARY KEY ("flowId")
);

-- CreateTable
CREATE TABLE "FlowCursor" (
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,

    CONSTRAINT "FlowCursor_pkey" PRIMARY KEY ("clusterName","topic","partition")
);

-- CreateTable
CREATE TABLE "TopicIntegrityBucket" (
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "minute" TIMESTAMP(3) NOT NULL,
    "events" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "versionRegressions" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "TopicIntegrityBucket_pkey" PRIMARY KEY ("clusterName","topic","minute")
);

-- CreateTable
CREATE TABLE "FlowObservation" (
    "clusterName" TEXT NOT NULL,
    "observed" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FlowObservation_pkey" PRIMARY KEY ("clusterName")
);

-- CreateIndex
CREATE UNIQUE INDEX "Flow_clusterName_name_key" ON "Flow"("clusterName", "name");

-- CreateIndex
CREATE INDEX "FlowInstance_flowId_state_startedAt_idx" ON "FlowInstance"("flowId", "state", "startedAt");

-- CreateIndex
CREATE INDEX "FlowBucket_minute_idx" ON "FlowBucket"("minute");

-- CreateIndex
CREATE INDEX "TopicIntegrityBucket_minute_idx" ON "TopicIntegrityBucket"("minute");

-- AddForeignKey
ALTER TABLE "FlowInstance" ADD CONSTRAINT "FlowInstance_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FlowBucket" ADD CONSTRAINT "FlowBucket_flowId_fkey" FOREIGN KEY ("flowId") REFERENCES "Flow"("id") ON DELETE CASCADE ON UPDATE CASCADE;

