-- Issue 17: Protobuf schemas beside JSON Schema and Avro.
-- AlterEnum
ALTER TYPE "SchemaType" ADD VALUE 'PROTOBUF';
