-- CreateTable
CREATE TABLE "DlqRecord" (
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "offset" BIGINT NOT NULL,
    "timestamp" TIMESTAMP(3) NOT NULL,
    "key" TEXT,
    "eventType" TEXT,
    "eventId" TEXT,
    "correlationId" TEXT,
    "convention" TEXT NOT NULL,
    "errorClass" TEXT,
    "errorMessage" TEXT,
    "reason" TEXT NOT NULL,
    "originTopic" TEXT,
    "originPartition" INTEGER,
    "originOffset" TEXT,
    "attempts" INTEGER,
    "redriveAttempts" INTEGER NOT NULL,
    "preview" TEXT NOT NULL,
    "valueBytes" INTEGER NOT NULL,

    CONSTRAINT "DlqRecord_pkey" PRIMARY KEY ("clusterName","topic","partition","offset")
);

-- CreateTable
CREATE TABLE "DlqIndexCursor" (
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "partition" INTEGER NOT NULL,
    "nextOffset" BIGINT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DlqIndexCursor_pkey" PRIMARY KEY ("clusterName","topic","partition")
);

-- CreateTable
CREATE TABLE "DlqTopicDeclaration" (
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "sourceTopic" TEXT,
    "note" TEXT NOT NULL DEFAULT '',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DlqTopicDeclaration_pkey" PRIMARY KEY ("clusterName","topic")
);

-- CreateIndex
CREATE INDEX "DlqRecord_clusterName_topic_reason_idx" ON "DlqRecord"("clusterName", "topic", "reason");

-- CreateIndex
CREATE INDEX "DlqRecord_clusterName_topic_timestamp_idx" ON "DlqRecord"("clusterName", "topic", "timestamp");
