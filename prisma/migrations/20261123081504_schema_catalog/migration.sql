-- CreateEnum
CREATE TYPE "CompatibilityMode" AS ENUM ('NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE');

-- CreateTable
CREATE TABLE "Service" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "team" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "links" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Service_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EventType" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "compatibility" "CompatibilityMode",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EventType_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchemaVersion" (
    "id" TEXT NOT NULL,
    "eventTypeId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "schemaId" INTEGER NOT NULL,
    "schema" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SchemaVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TopicBinding" (
    "id" TEXT NOT NULL,
    "eventTypeId" TEXT NOT NULL,
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TopicBinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Producer" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "eventTypeId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Producer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Subscription" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "eventTypeId" TEXT NOT NULL,
    "clusterName" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "consumerGroupId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Subscription_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConformanceCheck" (
    "id" TEXT NOT NULL,
    "eventTypeId" TEXT NOT NULL,
    "clusterName" TEXT NOT NULL,
    "checkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sampled" INTEGER NOT NULL,
    "conforming" INTEGER NOT NULL,
    "topics" JSONB NOT NULL DEFAULT '[]',
    "violations" JSONB NOT NULL DEFAULT '[]',

    CONSTRAINT "ConformanceCheck_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchemaRegistryConfig" (
    "id" TEXT NOT NULL DEFAULT 'global',
    "compatibility" "CompatibilityMode" NOT NULL DEFAULT 'BACKWARD',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SchemaRegistryConfig_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Service_name_key" ON "Service"("name");

-- CreateIndex
CREATE UNIQUE INDEX "EventType_name_key" ON "EventType"("name");

-- CreateIndex
CREATE INDEX "SchemaVersion_schemaId_idx" ON "SchemaVersion"("schemaId");

-- CreateIndex
CREATE INDEX "SchemaVersion_fingerprint_idx" ON "SchemaVersion"("fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "SchemaVersion_eventTypeId_version_key" ON "SchemaVersion"("eventTypeId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "SchemaVersion_eventTypeId_fingerprint_key" ON "SchemaVersion"("eventTypeId", "fingerprint");

-- CreateIndex
CREATE INDEX "TopicBinding_clusterName_topic_idx" ON "TopicBinding"("clusterName", "topic");

-- CreateIndex
CREATE UNIQUE INDEX "TopicBinding_eventTypeId_clusterName_topic_key" ON "TopicBinding"("eventTypeId", "clusterName", "topic");

-- CreateIndex
CREATE UNIQUE INDEX "Producer_serviceId_eventTypeId_key" ON "Producer"("serviceId", "eventTypeId");

-- CreateIndex
CREATE INDEX "Subscription_clusterName_topic_idx" ON "Subscription"("clusterName", "topic");

-- CreateIndex
CREATE UNIQUE INDEX "Subscription_serviceId_eventTypeId_clusterName_topic_consum_key" ON "Subscription"("serviceId", "eventTypeId", "clusterName", "topic", "consumerGroupId");

-- CreateIndex
CREATE INDEX "ConformanceCheck_eventTypeId_checkedAt_idx" ON "ConformanceCheck"("eventTypeId", "checkedAt");

-- AddForeignKey
ALTER TABLE "SchemaVersion" ADD CONSTRAINT "SchemaVersion_eventTypeId_fkey" FOREIGN KEY ("eventTypeId") REFERENCES "EventType"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TopicBinding" ADD CONSTRAINT "TopicBinding_eventTypeId_fkey" FOREIGN KEY ("eventTypeId") REFERENCES "EventType"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Producer" ADD CONSTRAINT "Producer_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Producer" ADD CONSTRAINT "Producer_eventTypeId_fkey" FOREIGN KEY ("eventTypeId") REFERENCES "EventType"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "Service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Subscription" ADD CONSTRAINT "Subscription_eventTypeId_fkey" FOREIGN KEY ("eventTypeId") REFERENCES "EventType"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConformanceCheck" ADD CONSTRAINT "ConformanceCheck_eventTypeId_fkey" FOREIGN KEY ("eventTypeId") REFERENCES "EventType"("id") ON DELETE CASCADE ON UPDATE CASCADE;
