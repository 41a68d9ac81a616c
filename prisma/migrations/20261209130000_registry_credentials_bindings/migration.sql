-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "schemaRegistryAuthKind" TEXT,
ADD COLUMN     "schemaRegistryCa" TEXT,
ADD COLUMN     "schemaRegistrySecretSealed" TEXT,
ADD COLUMN     "schemaRegistryUsername" TEXT;

