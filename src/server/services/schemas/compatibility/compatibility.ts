// Compatibility levels exactly as Confluent Schema Registry defines them:
// - BACKWARD: consumers using the new schema can read data written with the latest version
//   (the new schema reads what the old one wrote);
// - FORWARD: consumers using the latest version can read data written with the new schema;
// - FULL: both; the *_TRANSITIVE levels check against every earlier version, not only the latest;
// - NONE: no check.
import type avro from "avsc";
import type { CompatibilityMode } from "~/server/catalog";
import type { ProtoFile } from "../protobuf";
import { avroIncompatibilities, type AvroIncompatibilityType } from "./avro-compatibility";
import { protobufIncompatibilities, type ProtobufIncompatibilityType } from "./protobuf-compatibility";
import { describeDifference } from "./describe";
import { diffSchemas, isCompatibleDifference, jsonPath, type DifferenceType } from "./schema-diff";

export type Direction = "backward" | "forward";

/** Registering a schema of another format under a subject that has one (Confluent refuses it too). */
export type FormatChange = "SCHEMA_TYPE_CHANGED";

export interface CompatibilityReason {
  /** Confluent's name for the change, e.g. REQUIRED_ATTRIBUTE_ADDED; Avro's, e.g. TYPE_MISMATCH; Protobuf's, e.g. FIELD_KIND_CHANGED. */
  type: DifferenceType | AvroIncompatibilityType | ProtobufIncompatibilityType | FormatChange;
  /** Where, as Confluent prints it: "#/properties/total" for JSON Schema, "/fields/1/type" for Avro, "#/Order/3" for Protobuf. */
  path: string;
  message: string;
  /** The earlier version this candidate was checked against. */
  version: number;
  /** backward: the new schema reading the old version's data; forward: the old version reading the new schema's data. */
  direction: Direction;
}

export interface EarlierVersion<S = unknown> {
  version: number;
  schema: S;
}

/** Why `reader` cannot read data written with `writer`, one entry per problem; empty when it can. */
export type ReadCheck<S> = (reader: S, writer: S) => Pick<CompatibilityReason, "type" | "path" | "message">[];

/** JSON Schema: Confluent's difference rules, reading the writer's (old) schema's data with the reader's. */
export const jsonReadCheck: ReadCheck<unknown> = (reader, writer) =>
  diffSchemas(writer, reader)
    .filter((d) => !isCompatibleDifference(d))
    .map((d) => ({ type: d.type, path: jsonPath(d), message: describeDifference(d) }));

/** Avro: the specification's schema resolution (Java's SchemaCompatibility). */
export const avroReadCheck: ReadCheck<avro.Type> = (reader, writer) => avroIncompatibilities(reader, writer).map((f) => ({ type: f.type as AvroIncompatibilityType, path: f.location, message: f.message }));

/** Protobuf: messages by name, fields by number, as the wire format reads them. */
export const protobufReadCheck: ReadCheck<ProtoFile> = (reader, writer) =>
  protobufIncompatibilities(reader, writer).map((f) => ({ type: f.type as ProtobufIncompatibilityType, path: f.location, message: f.message }));

export function directionsOf(mode: CompatibilityMode): Direction[] {
  if (mode === "NONE") return [];
  if (mode.startsWith("BACKWARD")) return ["backward"];
  if (mode.startsWith("FORWARD")) return ["forward"];
  return ["backward", "forward"];
}

export const isTransitive = (mode: CompatibilityMode) => mode.endsWith("_TRANSITIVE");

/** The versions a mode checks a candidate against: the latest, or all of them when transitive. */
export function versionsToCheck<T extends EarlierVersion>(earlier: T[], mode: CompatibilityMode): T[] {
  if (mode === "NONE" || earlier.length === 0) return [];
  const sorted = [...earlier].sort((a, b) => a.version - b.version);
  return isTransitive(mode) ? sorted : [sorted.at(-1)!];
}

/** Every incompatible difference between the candidate and the given versions, in the given directions. */
export function incompatibilities<S = unknown>(candidate: NoInfer<S>, against: EarlierVersion<NoInfer<S>>[], directions: Direction[], readCheck: ReadCheck<S> = jsonReadCheck as ReadCheck<S>): CompatibilityReason[] {
  const reasons: CompatibilityReason[] = [];
  for (const earlier of [...against].sort((a, b) => b.version - a.version)) {
    for (const direction of directions) {
      const found = direction === "backward" ? readCheck(candidate, earlier.schema) : readCheck(earlier.schema, candidate);
      for (const reason of found) reasons.push({ ...reason, version: earlier.version, direction });
    }
  }
  return reasons;
}

/** What the registry does on registration: check the candidate under the mode; an empty list means compatible. */
export function checkCompatibility<S = unknown>(candidate: NoInfer<S>, earlier: EarlierVersion<NoInfer<S>>[], mode: CompatibilityMode, readCheck?: ReadCheck<S>): CompatibilityReason[] {
  return incompatibilities(candidate, versionsToCheck(earlier, mode), directionsOf(mode), readCheck);
}

/** One line per reason, for logs, audit entries and the registry's 409 message. */
export function formatReason(reason: CompatibilityReason): string {
  const against = reason.direction === "backward" ? `reading v${reason.version} data` : `v${reason.version} reading new data`;
  return `${reason.message} (${reason.type} at ${reason.path}; ${against})`;
}
