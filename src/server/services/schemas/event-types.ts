// Event types and their schema versions: registration with validation and enforced compatibility,
// listing, diffs between versions, compatibility levels. Every change is audited.
import { diffLines } from "diff";
import {
  addTopicBindings,
  findEventType,
  getEventTypeDetail,
  getGlobalCompatibility,
  listConformanceChecks,
  listEventTypeSummaries,
  registerSchemaVersion,
  removeTopicBindings,
  setEventTypeCompatibility,
  setGlobalCompatibility,
  writeAudit,
  type Actor,
  type CompatibilityMode,
  type SchemaType,
  type ConformanceCheckRow,
  type EventTypeDetail,
  type EventTypeSummary,
  type SchemaVersionRow,
  type TopicRef,
} from "~/server/catalog";
import { AppError } from "~/server/errors";
import { avroResolution } from "./compatibility/avro-compatibility";
import { protobufResolution } from "./compatibility/protobuf-compatibility";
import { checkCompatibility, type CompatibilityReason } from "./compatibility/compatibility";
import { describeDifference } from "./compatibility/describe";
import { diffSchemas, isCompatibleDifference, jsonPath } from "./compatibility/schema-diff";
import { parseSchema, typedReadCheck, type AnyParsedSchema } from "./formats";
import { fingerprintWithReferences, referencedSchemasOf, type PreparedReferences } from "./references";
import type { ResolvedReference } from "./resolved-reference";
import { topicSubjectChanges, valueSubjectOf } from "./topic-subjects";
import { assertWritable } from "./version-lifecycle";

/** Event type names double as registry subjects, so they keep to characters that are safe in a URL path. */
const EVENT_TYPE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
/** Kafka's own rule for topic names. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

export type SchemaOutcome =
  | { status: "created"; eventType: string; version: number; schemaId: number }
  | { status: "existing"; eventType: string; version: number; schemaId: number }
  | { status: "invalid"; problems: string[] }
  | { status: "incompatible"; eventType: string; compatibility: CompatibilityMode; reasons: CompatibilityReason[] };

export const isValidEventTypeName = (name: string) => EVENT_TYPE_NAME.test(name);

export function checkEventTypeName(name: string): void {
  if (!isValidEventTypeName(name)) {
    throw new AppError("BAD_REQUEST", `"${name}" is not a valid event type name: start with a letter or digit, then letters, digits, ".", "_", ":" or "-" (at most 200).`);
  }
}

export function checkTopicName(topic: string): void {
  if (!TOPIC_NAME.test(topic) || topic === "." || topic === "..") {
    throw new AppError("BAD_REQUEST", `"${topic}" is not a valid Kafka topic name: use letters, digits, ".", "_" and "-" (at most 249).`);
  }
}

function requireText(label: string, value: string, max: number): string {
  const trimmed = value.trim();
  if (!trimmed) throw new AppError("BAD_REQUEST", `${label} is required.`);
  if (trimmed.length > max) throw new AppError("BAD_REQUEST", `${label} is longer than ${max} characters.`);
  return trimmed;
}

/** A stored version as compatibility checks compare it (it parsed, with its references, when it was registered). */
export function storedSchema(row: Pick<SchemaVersionRow, "schema" | "schemaType">, references: ResolvedReference[] = []): AnyParsedSchema {
  if (row.schemaType === "JSON") return { schemaType: "JSON", schema: JSON.parse(row.schema) as Record<string, unknown>, draft: "draft-07", canonical: "", fingerprint: "" };
  const parsed = parseSchema(row.schemaType, row.schema, references);
  if (!parsed.ok) throw new Error(`A stored ${row.schemaType} schema no longer parses: ${parsed.problems.join("; ")}`);
  return parsed;
}

/** The live versions (soft-deleted ones are not checked against, as in Confluent's registry), parsed with their references. */
function earlierVersions(rows: SchemaVersionRow[], references: Map<string, ResolvedReference[]>) {
  return rows.filter((row) => row.deletedAt === null).map((row) => ({ version: row.version, schema: storedSchema(row, references.get(row.id)) }));
}

/** The referenced schemas of an event type's versions, for parsing them; one query when none has references. */
async function referencesOfEventType(eventTypeName: string): Promise<Map<string, ResolvedReference[]>> {
  const detail = await getEventTypeDetail(eventTypeName);
  return referencedSchemasOf(detail?.versions.map((v) => v.id) ?? []);
}

/**
 * Registers a schema under an event type: an invalid schema is refused with where it is wrong, the
 * same schema again returns the existing version, an incompatible one is refused with every reason.
 * With `create`, a missing event type is created with it (as a registry client may do).
 */
export async function registerSchema(
  actor: Actor,
  eventTypeName: string,
  schemaText: string,
  options: {
    create?: { domain: string; owner: string; description: string; compatibility: CompatibilityMode | null; topics: TopicRef[] };
    source: "ui" | "registry" | "seed";
    schemaType?: SchemaType;
    /** Registry references, already resolved (references.ts). */
    references?: PreparedReferences;
  },
): Promise<SchemaOutcome> {
  const schemaType = options.schemaType ?? "JSON";
  const references = options.references ?? { stored: [], resolved: [] };
  const parsed = parseSchema(schemaType, schemaText, references.resolved);
  if (!parsed.ok) return { status: "invalid", problems: parsed.problems };
  const earlierReferences = await referencesOfEventType(eventTypeName);
  const fingerprint = fingerprintWithReferences(parsed.fingerprint, references.stored);
  const outcome = await registerSchemaVersion({
    eventTypeName,
    create: options.create ? { eventType: { domain: options.create.domain, owner: options.create.owner, description: options.create.description, compatibility: options.create.compatibility }, topics: options.create.topics } : undefined,
    version: { schema: schemaText, schemaType, fingerprint, createdBy: actor.email },
    references: references.stored,
    judge: (earlier, mode) => checkCompatibility<AnyParsedSchema>(parsed, earlierVersions(earlier, earlierReferences), mode, typedReadCheck),
  });
  switch (outcome.kind) {
    case "no-event-type":
      throw new AppError("NOT_FOUND", `No event type named "${eventTypeName}".`);
    case "existing":
      return { status: "existing", eventType: outcome.eventType.name, version: outcome.version.version, schemaId: outcome.version.schemaId };
    case "refused":
      return { status: "incompatible", eventType: outcome.eventType.name, compatibility: outcome.compatibility, reasons: outcome.reasons };
    case "created": {
      const { eventType, version } = outcome;
      if (outcome.eventTypeCreated) {
        await writeAudit({
          actor,
          action: "event-type.create",
          targetType: "event-type",
          targetId: eventType.name,
          details: { domain: eventType.domain, owner: eventType.owner, compatibility: eventType.compatibility, topics: options.create?.topics ?? [], via: options.source },
        });
      }
      await writeAudit({
        actor,
        action: "schema-version.create",
        targetType: "event-type",
        targetId: eventType.name,
        details: {
          version: version.version,
          schemaId: version.schemaId,
          fingerprint: version.fingerprint,
          schemaType,
          ...(parsed.schemaType === "JSON" ? { draft: parsed.draft } : {}),
          ...(references.stored.length > 0 ? { references: references.stored.map(({ name, subject, version }) => ({ name, subject, version })) } : {}),
          via: options.source,
        },
      });
      return { status: "created", eventType: eventType.name, version: version.version, schemaId: version.schemaId };
    }
  }
}

export interface RegisterEventTypeInput {
  name: string;
  domain: string;
  owner: string;
  description: string;
  topics: string[];
  compatibility: CompatibilityMode | null;
  schema: string;
  /** JSON when absent. */
  schemaType?: SchemaType;
}

/** A new event type with its first schema version. A taken name is refused and nothing changes. */
export async function registerEventType(actor: Actor, clusterName: string, input: RegisterEventTypeInput): Promise<SchemaOutcome> {
  const name = input.name.trim();
  checkEventTypeName(name);
  const domain = requireText("The domain", input.domain, 100);
  const owner = requireText("The owner team", input.owner, 100);
  const topics = [...new Set(input.topics.map((t) => t.trim()).filter(Boolean))];
  topics.forEach(checkTopicName);
  if (await findEventType(name)) throw new AppError("CONFLICT", `An event type named "${name}" already exists; add a version to it instead.`);
  await assertWritable([name]);
  return registerSchema(actor, name, input.schema, {
    create: { domain, owner, description: input.description.trim().slice(0, 2000), compatibility: input.compatibility, topics: topics.map((topic) => ({ clusterName, topic })) },
    source: "ui",
    schemaType: input.schemaType,
  });
}

/** A new version in the format given, else in the latest version's format. */
export async function addSchemaVersion(actor: Actor, eventTypeName: string, schemaText: string, schemaType?: SchemaType): Promise<SchemaOutcome> {
  await assertWritable([eventTypeName]);
  return registerSchema(actor, eventTypeName, schemaText, { source: "ui", schemaType: schemaType ?? (await latestSchemaType(eventTypeName)) });
}

/** The format of an event type's latest version; JSON for one without versions or that does not exist. */
export async function latestSchemaType(eventTypeName: string): Promise<SchemaType> {
  const detail = await getEventTypeDetail(eventTypeName);
  return detail?.versions.filter((v) => v.deletedAt === null).at(-1)?.schemaType ?? "JSON";
}

/** What registration would say, without registering: used by the "check" button and the registry's compatibility endpoint. */
export async function testSchemaCompatibility(
  eventTypeName: string,
  schemaText: string,
  against: "mode" | number,
  schemaType?: SchemaType,
  references: ResolvedReference[] = [],
): Promise<{ status: "invalid"; problems: string[] } | { status: "checked"; compatibility: CompatibilityMode; reasons: CompatibilityReason[] }> {
  const detail = await getEventTypeDetail(eventTypeName);
  if (!detail) throw new AppError("NOT_FOUND", `No event type named "${eventTypeName}".`);
  const parsed = parseSchema(schemaType ?? detail.versions.filter((v) => v.deletedAt === null).at(-1)?.schemaType ?? "JSON", schemaText, references);
  if (!parsed.ok) return { status: "invalid", problems: parsed.problems };
  const compatibility = detail.compatibility ?? (await getGlobalCompatibility());
  const earlier = earlierVersions(detail.versions, await referencedSchemasOf(detail.versions.map((v) => v.id)));
  if (against === "mode") return { status: "checked", compatibility, reasons: checkCompatibility<AnyParsedSchema>(parsed, earlier, compatibility, typedReadCheck) };
  const version = earlier.find((v) => v.version === against);
  if (!version) throw new AppError("NOT_FOUND", `Event type "${eventTypeName}" has no version ${against}.`);
  // Against one given version the level's direction applies; transitivity does not (there is one version).
  return { status: "checked", compatibility, reasons: checkCompatibility<AnyParsedSchema>(parsed, [version], compatibility.replace("_TRANSITIVE", "") as CompatibilityMode, typedReadCheck) };
}

export interface EventTypeListItem extends EventTypeSummary {
  effectiveCompatibility: CompatibilityMode;
}

export async function listEventTypes(): Promise<{ eventTypes: EventTypeListItem[]; globalCompatibility: CompatibilityMode }> {
  const [rows, globalCompatibility] = await Promise.all([listEventTypeSummaries(), getGlobalCompatibility()]);
  return { eventTypes: rows.map((row) => ({ ...row, effectiveCompatibility: row.compatibility ?? globalCompatibility })), globalCompatibility };
}

export interface EventTypeView extends EventTypeDetail {
  effectiveCompatibility: CompatibilityMode;
  globalCompatibility: CompatibilityMode;
  conformance: ConformanceCheckRow[];
}

export async function getEventType(name: string): Promise<EventTypeView> {
  const detail = await getEventTypeDetail(name);
  if (!detail) throw new AppError("NOT_FOUND", `No event type named "${name}".`);
  const [globalCompatibility, conformance] = await Promise.all([getGlobalCompatibility(), listConformanceChecks(detail.id, 20)]);
  return { ...detail, effectiveCompatibility: detail.compatibility ?? globalCompatibility, globalCompatibility, conformance };
}

export interface VersionComparison {
  eventType: string;
  from: number;
  to: number;
  /** Line diff of the two schemas as registered (JSON pretty-printed, .proto as written). */
  lines: { value: string; added: boolean; removed: boolean }[];
  /** What changed, in Confluent's terms (Avro's for Avro), reading `from`'s data with `to`. */
  changes: { type: string; path: string; message: string; compatible: boolean }[];
  backwardCompatible: boolean;
  forwardCompatible: boolean;
}

/** JSON schemas pretty-printed; a .proto file as it was written. */
const pretty = (row: Pick<SchemaVersionRow, "schema" | "schemaType">) => (row.schemaType === "PROTOBUF" ? `${row.schema.trimEnd()}\n` : `${JSON.stringify(JSON.parse(row.schema), null, 2)}\n`);

export async function compareVersions(name: string, from: number, to: number): Promise<VersionComparison> {
  const detail = await getEventTypeDetail(name);
  if (!detail) throw new AppError("NOT_FOUND", `No event type named "${name}".`);
  const a = detail.versions.find((v) => v.version === from);
  const b = detail.versions.find((v) => v.version === to);
  if (!a || !b) throw new AppError("NOT_FOUND", `Event type "${name}" has no version ${!a ? from : to}.`);
  const lines = diffLines(pretty(a), pretty(b)).map((part) => ({ value: part.value, added: Boolean(part.added), removed: Boolean(part.removed) }));
  if (a.schemaType !== "JSON" || b.schemaType !== "JSON") {
    const references = await referencedSchemasOf([a.id, b.id]);
    const older = storedSchema(a, references.get(a.id));
    const newer = storedSchema(b, references.get(b.id));
    const changes =
      older.schemaType === "AVRO" && newer.schemaType === "AVRO"
        ? avroResolution(newer.type, older.type).map((f) => ({ type: f.type, path: f.location, message: f.message, compatible: f.compatible }))
        : older.schemaType === "PROTOBUF" && newer.schemaType === "PROTOBUF"
          ? protobufResolution(newer.file, older.file).map((f) => ({ type: f.type, path: f.location, message: f.message, compatible: f.compatible }))
          : typedReadCheck(newer, older).map((r) => ({ ...r, compatible: false }));
    return { eventType: name, from, to, lines, changes, backwardCompatible: typedReadCheck(newer, older).length === 0, forwardCompatible: typedReadCheck(older, newer).length === 0 };
  }
  const oldSchema = JSON.parse(a.schema) as unknown;
  const newSchema = JSON.parse(b.schema) as unknown;
  const differences = diffSchemas(oldSchema, newSchema);
  return {
    eventType: name,
    from,
    to,
    lines,
    changes: differences.map((d) => ({ type: d.type, path: jsonPath(d), message: describeDifference(d), compatible: isCompatibleDifference(d) })),
    backwardCompatible: differences.every(isCompatibleDifference),
    forwardCompatible: diffSchemas(newSchema, oldSchema).every(isCompatibleDifference),
  };
}

/** Sets (or, with null, clears back to the global level) an event type's compatibility level. */
export async function setCompatibility(actor: Actor, name: string, mode: CompatibilityMode | null): Promise<{ compatibility: CompatibilityMode | null }> {
  const change = await setEventTypeCompatibility(name, mode);
  if (!change) throw new AppError("NOT_FOUND", `No event type named "${name}".`);
  await writeAudit({ actor, action: "event-type.compatibility.set", targetType: "event-type", targetId: name, details: change });
  return { compatibility: mode };
}

export async function setGlobalCompatibilityLevel(actor: Actor, mode: CompatibilityMode): Promise<{ compatibility: CompatibilityMode }> {
  const change = await setGlobalCompatibility(mode);
  await writeAudit({ actor, action: "schema-registry.compatibility.set", targetType: "schema-registry", targetId: "global", details: change });
  return { compatibility: mode };
}

/** Binds topics of the cluster to an event type; the audit entry is written in the same transaction. Bindings that exist already are left as they are. */
export async function bindTopics(actor: Actor, clusterName: string, name: string, topics: string[]): Promise<TopicRef[]> {
  topics.forEach(checkTopicName);
  const added = await addTopicBindings(
    name,
    topics.map((topic) => ({ clusterName, topic })),
    (added) => ({ actor, action: "event-type.topics.bind", targetType: "event-type", targetId: name, details: { topics: added } }),
  );
  if (!added) throw new AppError("NOT_FOUND", `No event type named "${name}".`);
  return added;
}

export interface UnbindResult {
  removed: TopicRef[];
  /** `<topic>-value` subjects that answered for this event type and no longer exist. */
  subjectsRemoved: string[];
  /** `<topic>-value` subjects that now answer for the one event type left on their topic. */
  subjectsReassigned: { subject: string; eventType: string }[];
}

/**
 * Removes an event type's bindings to topics of the cluster, all or none. The event type keeps every
 * version under its own subject; only the `<topic>-value` subject that the binding gave it goes (or
 * passes to the one event type left on the topic). A binding that does not exist is a clear error, and
 * a READONLY mode on the event type or those subjects refuses it, as it refuses deletes.
 */
export async function unbindTopics(actor: Actor, clusterName: string, name: string, topics: string[]): Promise<UnbindResult> {
  topics.forEach(checkTopicName);
  if (topics.length === 0) throw new AppError("BAD_REQUEST", "Name at least one topic to unbind.");
  await assertWritable([name, ...topics.map(valueSubjectOf)]);
  let changes: ReturnType<typeof topicSubjectChanges> = { removed: [], reassigned: [] };
  const outcome = await removeTopicBindings(
    name,
    topics.map((topic) => ({ clusterName, topic })),
    (removed, before) => {
      changes = topicSubjectChanges(name, removed, before);
      return { actor, action: "event-type.topics.unbind", targetType: "event-type", targetId: name, details: { topics: removed, subjectsRemoved: changes.removed, subjectsReassigned: changes.reassigned } };
    },
  );
  switch (outcome.kind) {
    case "no-event-type":
      throw new AppError("NOT_FOUND", `No event type named "${name}".`);
    case "not-bound": {
      const bound = outcome.bound.filter((b) => b.clusterName === clusterName).map((b) => `'${b.topic}'`);
      throw new AppError(
        "NOT_FOUND",
        `${name} is not bound to ${outcome.missing.map((m) => `'${m.topic}'`).join(", ")} on cluster ${clusterName}, so there is nothing to unbind; nothing was changed. ${bound.length ? `It is bound there to ${bound.join(", ")}.` : "It has no topic bindings on that cluster."}`,
      );
    }
    case "removed":
      return { removed: outcome.removed, subjectsRemoved: changes.removed, subjectsReassigned: changes.reassigned };
  }
}
