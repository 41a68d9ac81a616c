-- Issue 17: Avro schemas beside JSON Schema. Every version registered before this is JSON Schema.
CREATE TYPE "SchemaType" AS ENUM ('JSON', 'AVRO');

ALTER TABLE "SchemaVersion" ADD COLUMN "schemaType" "SchemaType" NOT NULL DEFAULT 'JSON';
