-- AlterEnum
ALTER TYPE "DlqMessageStatus" ADD VALUE 'EXPIRED';

-- AlterTable
ALTER TABLE "DlqRecord" ADD COLUMN     "redriveProblem" TEXT;
