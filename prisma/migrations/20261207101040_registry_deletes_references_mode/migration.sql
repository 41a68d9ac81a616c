-- CreateEnum
CREATE TYPE "RegistryMode" AS ENUM ('READWRITE', 'READONLY');

-- DropIndex
DROP INDEX "SchemaVersion_eventTypeId_fingerprint_key";

-- AlterTable
ALTER TABLE "SchemaVersion" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "deletedBy" TEXT;

-- AlterTable
ALTER TABLE "SchemaRegistryConfig" ADD COLUMN     "highestDeletedSchemaId" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "SchemaReference" (
    "id" TEXT NOT NULL,
    "schemaVersionId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "referencedVersionId" TEXT NOT NULL,

    CONSTRAINT "SchemaReference_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SchemaRegistryMode" (
    "scope" TEXT NOT NULL,
    "mode" "RegistryMode" NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SchemaRegistryMode_pkey" PRIMARY KEY ("scope")
);

-- CreateIndex
CREATE INDEX "SchemaReference_referencedVersionId_idx" ON "SchemaReference"("referencedVersionId");

-- CreateIndex
CREATE UNIQUE INDEX "SchemaReference_schemaVersionId_position_key" ON "SchemaReference"("schemaVersionId", "position");

-- CreateIndex
CREATE INDEX "SchemaVersion_eventTypeId_fingerprint_idx" ON "SchemaVersion"("eventTypeId", "fingerprint");

-- AddForeignKey
ALTER TABLE "SchemaReference" ADD CONSTRAINT "SchemaReference_schemaVersionId_fkey" FOREIGN KEY ("schemaVersionId") REFERENCES "SchemaVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SchemaReference" ADD CONSTRAINT "SchemaReference_referencedVersionId_fkey" FOREIGN KEY ("referencedVersionId") REFERENCES "SchemaVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
