-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "connect" JSONB NOT NULL DEFAULT '[]';
