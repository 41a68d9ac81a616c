// A schema reference resolved to the schema it names, as the formats' parsers take it.
import type { SchemaType } from "~/server/catalog";

export interface ResolvedReference {
  /** The name the referencing schema uses: an Avro full name's schema, a JSON Schema $ref, a Protobuf import path. */
  name: string;
  schemaType: SchemaType;
  /** The referenced schema's text as registered. */
  schema: string;
}
