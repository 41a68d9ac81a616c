-- CreateEnum
CREATE TYPE "AlertKind" AS ENUM ('LAG_MESSAGES', 'LAG_SECONDS', 'GROUP_STATUS_ERR');

-- CreateEnum
CREATE TYPE "AlertState" AS ENUM ('FIRING', 'RESOLVED');

-- CreateTable
CREATE TABLE "LagSnapshotLatest" (
    "clusterName" TEXT NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,
    "cycleMs" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,

    CONSTRAINT "LagSnapshotLatest_pkey" PRIMARY KEY ("clusterName")
);

-- CreateTable
CREATE TABLE "TopicSample" (
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "resolution" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "endOffset" BIGINT NOT NULL,
    "startOffset" BIGINT NOT NULL,

    CONSTRAINT "TopicSample_pkey" PRIMARY KEY ("clusterName","topic","resolution","at")
);

-- CreateTable
CREATE TABLE "GroupSample" (
    "clusterName" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "resolution" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "committed" BIGINT NOT NULL,
    "totalLag" BIGINT NOT NULL,
    "maxLag" BIGINT NOT NULL,
    "maxLagSeconds" DOUBLE PRECISION,
    "status" TEXT NOT NULL,
    "members" INTEGER NOT NULL,

    CONSTRAINT "GroupSample_pkey" PRIMARY KEY ("clusterName","groupId","resolution","at")
);

-- CreateTable
CREATE TABLE "AlertRule" (
    "id" TEXT NOT NULL,
    "clusterName" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AlertKind" NOT NULL,
    "groupPattern" TEXT NOT NULL DEFAULT '*',
    "threshold" DOUBLE PRECISION,
    "forMinutes" INTEGER NOT NULL DEFAULT 0,
    "webhookUrl" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" TEXT NOT NULL,
    "ruleId" TEXT NOT NULL,
    "groupId" TEXT NOT NULL,
    "state" "AlertState" NOT NULL,
    "firedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "value" DOUBLE PRECISION,
    "message" TEXT NOT NULL,
    "webhookStatus" TEXT,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TopicSample_resolution_at_idx" ON "TopicSample"("resolution", "at");

-- CreateIndex
CREATE INDEX "GroupSample_resolution_at_idx" ON "GroupSample"("resolution", "at");

-- CreateIndex
CREATE INDEX "Alert_state_firedAt_idx" ON "Alert"("state", "firedAt");

-- CreateIndex
CREATE INDEX "Alert_ruleId_groupId_state_idx" ON "Alert"("ruleId", "groupId", "state");

-- AddForeignKey
ALTER TABLE "Alert" ADD CONSTRAINT "Alert_ruleId_fkey" FOREIGN KEY ("ruleId") REFERENCES "AlertRule"("id") ON DELETE CASCADE ON UPDATE CASCADE;
