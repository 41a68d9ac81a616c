-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "idempotencyKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Job_createdBy_idempotencyKey_key" ON "Job"("createdBy", "idempotencyKey");
