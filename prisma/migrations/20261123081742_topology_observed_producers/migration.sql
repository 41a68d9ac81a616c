-- CreateTable
CREATE TABLE "ObservedProducer" (
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "messages" INTEGER NOT NULL,
    "firstSeen" TIMESTAMP(3) NOT NULL,
    "lastSeen" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ObservedProducer_pkey" PRIMARY KEY ("clusterName","topic","service","eventType")
);

-- CreateTable
CREATE TABLE "ProducerSamplerRun" (
    "clusterName" TEXT NOT NULL,
    "sampledAt" TIMESTAMP(3) NOT NULL,
    "topics" INTEGER NOT NULL,
    "records" INTEGER NOT NULL,

    CONSTRAINT "ProducerSamplerRun_pkey" PRIMARY KEY ("clusterName")
);

-- CreateIndex
CREATE INDEX "ObservedProducer_clusterName_lastSeen_idx" ON "ObservedProducer"("clusterName", "lastSeen");
