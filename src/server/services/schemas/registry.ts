// Confluent Schema Registry's REST API over the catalog, so existing clients and serializers work
// against Signalbox. Paths, bodies and error codes follow Confluent's API reference; the route
// handler under /api/schema-registry only parses HTTP and calls this.
import {
  COMPATIBILITY_MODES,
  findSchemaBySchemaId,
  listReferencesOf,
  listReferrersOf,
  listVersionsWithSchemaId,
  getEventTypeDetail,
  getGlobalCompatibility,
  getPendingSubjectCompatibility,
  setPendingSubjectCompatibility,
  writeAudit,
  type Actor,
  type CompatibilityMode,
  type SchemaType,
  type SchemaVersionRow,
} from "~/server/catalog";
import { isAppError } from "~/server/errors";
import { mayActEverywhere, mayActOn } from "~/server/services/auth/authorize";
import { formatReason, type CompatibilityReason } from "./compatibility/compatibility";
import { latestSchemaType, registerSchema, setCompatibility, setGlobalCompatibilityLevel, testSchemaCompatibility } from "./event-types";
import { nameOf, parseSchema } from "./formats";
import { fingerprintWithReferences, prepareReferences, readReferences, referencedSchemasOf, type PreparedReferences, type ReferenceInput } from "./references";
import { fileDescriptorBytes } from "./protobuf";
import { listSubjects, newEventTypeForSubject, resolveSubject, subjectsOf } from "./subjects";
import { deleteVersions, describeBindings, describeReferrers, getMode, readOnlyReason, REGISTRY_MODES, setMode, type RegistryMode } from "./version-lifecycle";

export const REGISTRY_CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

export interface RegistryRequest {
  method: string;
  /** Path segments after /api/schema-registry, already URL-decoded. */
  path: string[];
  query: URLSearchParams;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
  actor: Actor;
  clusterName: string;
}

export interface RegistryResponse {
  status: number;
  body: unknown;
}

/** Confluent's error body; `errorCode` is theirs (40401 subject not found, 42201 invalid schema, ...). */
class RegistryError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

const ok = (body: unknown, status = 200): RegistryResponse => ({ status, body });

const subjectNotFound = (subject: string) => new RegistryError(404, 40401, `Subject '${subject}' not found.`);
const versionNotFound = (subject: string, version: number) => new RegistryError(404, 40402, `Version ${version} not found for subject '${subject}'.`);
const schemaNotFound = (detail = "Schema not found") => new RegistryError(404, 40403, detail);
const invalidSchema = (problems: string[]) => new RegistryError(422, 42201, `Invalid schema: ${problems.join("; ")}`);

const VALID_LEVELS = "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive";

function parseLevel(body: unknown): CompatibilityMode {
  const raw = (body as { compatibility?: unknown; compatibilityLevel?: unknown } | undefined)?.compatibility ?? (body as { compatibilityLevel?: unknown } | undefined)?.compatibilityLevel;
  const level = typeof raw === "string" ? raw.toUpperCase() : "";
  if (!(COMPATIBILITY_MODES as readonly string[]).includes(level)) throw new RegistryError(422, 42203, `${VALID_LEVELS}; got ${JSON.stringify(raw ?? null)}.`);
  return level as CompatibilityMode;
}

/** "latest" and -1 mean the newest version; otherwise 1 .. 2^31-1. */
function parseVersion(raw: string): number | "latest" {
  if (raw === "latest" || raw === "-1") return "latest";
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    if (n >= 1 && n <= 2 ** 31 - 1) return n;
  }
  throw new RegistryError(422, 42202, `The specified version '${raw}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest".`);
}

const SUPPORTED_TYPES: SchemaType[] = ["JSON", "AVRO", "PROTOBUF"];

/** The schema text and type of a registration body; the type is null when the body names none. */
function schemaFromBody(body: unknown): { text: string; schemaType: SchemaType | null; references: ReferenceInput[] } {
  const b = body as { schema?: unknown; schemaType?: unknown; references?: unknown } | undefined;
  if (!b || typeof b.schema !== "string") throw new RegistryError(422, 42201, 'Invalid schema: the body must be {"schema": "<the schema as a string>", "schemaType": "AVRO", "JSON" or "PROTOBUF"}.');
  const declared = typeof b.schemaType === "string" ? b.schemaType.toUpperCase() : b.schemaType;
  if (declared !== undefined && declared !== null && !SUPPORTED_TYPES.includes(declared as SchemaType)) {
    throw new RegistryError(422, 42201, `Invalid schema: schemaType ${JSON.stringify(b.schemaType)} is not supported; Signalbox's registry stores ${SUPPORTED_TYPES.join(", ")} schemas.`);
  }
  const references = readReferences(b.references);
  if (!references.ok) throw new RegistryError(422, 42201, `Invalid schema: ${references.problem}.`);
  return { text: b.schema, schemaType: (declared as SchemaType | null | undefined) ?? null, references: references.references };
}

/**
 * A body without schemaType means Avro in Confluent's API (its clients send none for Avro). Signalbox
 * took such bodies as JSON Schema before it stored Avro, so: an existing event type keeps its
 * latest version's format; a new subject is Avro when the text is an Avro schema, else JSON Schema.
 */
async function schemaTypeFor(declared: SchemaType | null, text: string, eventType: string | null, references: PreparedReferences = NO_REFERENCES): Promise<SchemaType> {
  if (declared) return declared;
  if (eventType) return latestSchemaType(eventType);
  return parseSchema("AVRO", text, references.resolved).ok ? "AVRO" : parseSchema("JSON", text, references.resolved).ok ? "JSON" : "AVRO";
}

/**
 * The schema text as a client asks for it: as registered, or with `format=serialized` a Protobuf
 * schema as the base64 of its FileDescriptorProto (what Confluent's own clients request).
 */
async function schemaText(row: Pick<SchemaVersionRow, "id" | "schemaType" | "schema">, query: URLSearchParams): Promise<string> {
  if (row.schemaType !== "PROTOBUF" || query.get("format") !== "serialized") return row.schema;
  // The imported files' types are part of the descriptor's messages, so the references come too.
  const parsed = parseSchema("PROTOBUF", row.schema, (await referencedSchemasOf([row.id])).get(row.id));
  if (!parsed.ok || parsed.schemaType !== "PROTOBUF") throw new RegistryError(500, 50001, `The stored Protobuf schema no longer parses: ${parsed.ok ? "wrong format" : parsed.problems.join("; ")}`);
  return Buffer.from(fileDescriptorBytes(parsed)).toString("base64");
}

/** A version as Confluent answers it: schemaType is left out for Avro, the default. */
async function versionBody(subject: string, row: Pick<SchemaVersionRow, "id" | "version" | "schemaId" | "schemaType" | "schema">, query = new URLSearchParams()) {
  return { subject, version: row.version, id: row.schemaId, ...(row.schemaType === "AVRO" ? {} : { schemaType: row.schemaType }), schema: await schemaText(row, query) };
}

async function eventTypeOf(subject: string, clusterName: string): Promise<string> {
  const resolved = await resolveSubject(subject, clusterName);
  if (resolved.kind === "event-type") return resolved.eventType;
  if (resolved.kind === "ambiguous") {
    throw new RegistryError(404, 40401, `Subject '${subject}' not found: topic '${resolved.topic}' carries several event types (${resolved.eventTypes.join(", ")}); use the subject named after the event type.`);
  }
  throw subjectNotFound(subject);
}

/** A version of a subject; soft-deleted ones only with `?deleted=true` (a subject with only those is not found). */
async function versionOf(subject: string, eventType: string, raw: string, includeDeleted = false) {
  const version = parseVersion(raw);
  const detail = await getEventTypeDetail(eventType);
  const versions = detail?.versions.filter((v) => includeDeleted || v.deletedAt === null) ?? [];
  if (!detail || versions.length === 0) throw subjectNotFound(subject);
  const row = version === "latest" ? versions.at(-1) : versions.find((v) => v.version === version);
  if (!row) throw version === "latest" ? subjectNotFound(subject) : versionNotFound(subject, version);
  return { detail, row };
}

/** Writes need the architect role for the subject (a role binding may limit it to some subjects); global ones everywhere. */
function requireArchitect(actor: Actor, subject?: string): void {
  if (subject === undefined ? !mayActEverywhere(actor, "architect") : !mayActOn(actor, "architect", { subject })) {
    throw new RegistryError(403, 40301, `This action needs the architect role${subject === undefined ? " everywhere" : ` for subject ${subject}`}; ${actor.email} has the ${actor.role ?? "no"} role${actor.grants?.some((g) => g.scope) ? " and scoped bindings" : ""}.`);
  }
}

function compatibilityMessages(reasons: CompatibilityReason[], compatibility: CompatibilityMode): string[] {
  return [
    ...reasons.map((r) => `{errorType:"${r.type}", description:"${formatReason(r).replace(/"/g, "'")}"}`),
    ...[...new Set(reasons.map((r) => r.version))].map((v) => `{oldSchemaVersion: ${v}}`),
    `{compatibility: '${compatibility}'}`,
  ];
}

type Handler = (req: RegistryRequest, params: string[]) => Promise<RegistryResponse>;

const routes: { method: string; pattern: string[]; handler: Handler }[] = [
  { method: "GET", pattern: [], handler: async () => ok({}) },
  { method: "GET", pattern: ["schemas", "types"], handler: async () => ok(SUPPORTED_TYPES) },
  { method: "GET", pattern: ["subjects"], handler: async (req) => ok(await listSubjects(req.clusterName, { includeDeleted: wantsDeleted(req) })) },
  {
    method: "GET",
    pattern: ["subjects", ":subject", "versions"],
    handler: async (req, [subject]) => {
      const detail = await getEventTypeDetail(await eventTypeOf(subject!, req.clusterName));
      const versions = detail?.versions.filter((v) => wantsDeleted(req) || v.deletedAt === null) ?? [];
      if (versions.length === 0) throw subjectNotFound(subject!);
      return ok(versions.map((v) => v.version));
    },
  },
  {
    method: "GET",
    pattern: ["subjects", ":subject", "versions", ":version"],
    handler: async (req, [subject, version]) => {
      const { row } = await versionOf(subject!, await eventTypeOf(subject!, req.clusterName), version!, wantsDeleted(req));
      return ok(await withReferences(await versionBody(subject!, row, req.query), row.id));
    },
  },
  {
    method: "GET",
    pattern: ["subjects", ":subject", "versions", ":version", "schema"],
    handler: async (req, [subject, version]) => {
      const { row } = await versionOf(subject!, await eventTypeOf(subject!, req.clusterName), version!, wantsDeleted(req));
      // Confluent answers the schema itself: a JSON document for JSON Schema and Avro, the .proto text (as a JSON string) for Protobuf.
      return ok(row.schemaType === "PROTOBUF" ? await schemaText(row, req.query) : JSON.parse(row.schema));
    },
  },
  {
    method: "POST",
    pattern: ["subjects", ":subject", "versions"],
    handler: async (req, [subject]) => {
      requireArchitect(req.actor, subject);
      const body = schemaFromBody(req.body);
      const schemaText = body.text;
      if (subject!.length > 200 || /[\u0000-\u001f\u007f]/.test(subject!)) {
        throw new RegistryError(422, 422, "A subject name is at most 200 characters, without control characters.");
      }
      const resolved = await resolveSubject(subject!, req.clusterName);
      if (resolved.kind === "ambiguous") {
        throw new RegistryError(422, 422, `Subject '${subject}' is ambiguous: topic '${resolved.topic}' carries several event types (${resolved.eventTypes.join(", ")}); register under the subject named after the event type.`);
      }
      await refuseWhenReadOnly([subject!, ...(resolved.kind === "event-type" ? [resolved.eventType] : [])]);
      const references = await referencesFor(body.references, req.clusterName);
      let outcome;
      const schemaType = await schemaTypeFor(body.schemaType, schemaText, resolved.kind === "event-type" ? resolved.eventType : null, references);
      if (resolved.kind === "event-type") outcome = await registerSchema(req.actor, resolved.eventType, schemaText, { source: "registry", schemaType, references });
      else {
        const parsed = parseSchema(schemaType, schemaText, references.resolved);
        if (!parsed.ok) throw invalidSchema(parsed.problems);
        const target = await newEventTypeForSubject(subject!, req.clusterName, nameOf(parsed));
        const pending = await getPendingSubjectCompatibility(subject!);
        outcome = await registerSchema(req.actor, target.name, schemaText, {
          create: { domain: "unassigned", owner: "unassigned", description: `Registered through the schema registry API as subject "${subject}".`, compatibility: pending, topics: target.topics },
          source: "registry",
          schemaType,
          references,
        });
        if (pending && outcome.status === "created") await setPendingSubjectCompatibility(subject!, null);
      }
      if (outcome.status === "invalid") throw invalidSchema(outcome.problems);
      if (outcome.status === "incompatible") {
        throw new RegistryError(409, 409, `Schema being registered is incompatible with an earlier schema for subject "${subject}" (${outcome.compatibility}), details: [${outcome.reasons.map(formatReason).join("; ")}]`);
      }
      return ok({ id: outcome.schemaId });
    },
  },
  {
    method: "POST",
    pattern: ["subjects", ":subject"],
    handler: async (req, [subject]) => {
      const body = schemaFromBody(req.body);
      const eventType = await eventTypeOf(subject!, req.clusterName);
      const references = await referencesFor(body.references, req.clusterName);
      const parsed = parseSchema(await schemaTypeFor(body.schemaType, body.text, eventType, references), body.text, references.resolved);
      if (!parsed.ok) throw invalidSchema(parsed.problems);
      const detail = await getEventTypeDetail(eventType);
      const fingerprint = fingerprintWithReferences(parsed.fingerprint, references.stored);
      const row = detail?.versions.filter((v) => wantsDeleted(req) || v.deletedAt === null).findLast((v) => v.fingerprint === fingerprint);
      if (!row) throw schemaNotFound();
      return ok(await withReferences(await versionBody(subject!, row), row.id));
    },
  },
  {
    method: "GET",
    pattern: ["schemas", "ids", ":id"],
    handler: async (req, [id]) => {
      // Soft-deleted versions still answer here: records framed with their id must stay readable.
      const row = /^\d+$/.test(id!) ? await findSchemaBySchemaId(Number(id)) : null;
      if (!row) throw schemaNotFound(`Schema ${id} not found`);
      return ok(await withReferences(row.schemaType === "AVRO" ? { schema: row.schema } : { schemaType: row.schemaType, schema: await schemaText(row, req.query) }, row.id));
    },
  },
  {
    method: "GET",
    pattern: ["schemas", "ids", ":id", "versions"],
    handler: async (req, [id]) => {
      const all = /^\d+$/.test(id!) ? await listVersionsWithSchemaId(Number(id)) : [];
      if (all.length === 0) throw schemaNotFound(`Schema ${id} not found`);
      return ok(all.filter((r) => wantsDeleted(req) || !r.deleted).map((r) => ({ subject: r.eventType, version: r.version })));
    },
  },
  {
    method: "GET",
    pattern: ["schemas", "ids", ":id", "subjects"],
    handler: async (req, [id]) => {
      const all = /^\d+$/.test(id!) ? await listVersionsWithSchemaId(Number(id)) : [];
      if (all.length === 0) throw schemaNotFound(`Schema ${id} not found`);
      const rows = all.filter((r) => wantsDeleted(req) || !r.deleted);
      const subjects = await Promise.all([...new Set(rows.map((r) => r.eventType))].map((name) => subjectsOf(name, req.clusterName)));
      return ok([...new Set(subjects.flat())].sort());
    },
  },
  {
    method: "POST",
    pattern: ["compatibility", "subjects", ":subject", "versions", ":version"],
    handler: async (req, [subject, version]) => {
      const body = schemaFromBody(req.body);
      const eventType = await eventTypeOf(subject!, req.clusterName);
      const { row } = await versionOf(subject!, eventType, version!);
      const references = await referencesFor(body.references, req.clusterName);
      return compatibilityAnswer(req, await testSchemaCompatibility(eventType, body.text, row.version, await schemaTypeFor(body.schemaType, body.text, eventType, references), references.resolved));
    },
  },
  {
    method: "POST",
    pattern: ["compatibility", "subjects", ":subject", "versions"],
    handler: async (req, [subject]) => {
      const body = schemaFromBody(req.body);
      const eventType = await eventTypeOf(subject!, req.clusterName);
      const references = await referencesFor(body.references, req.clusterName);
      return compatibilityAnswer(req, await testSchemaCompatibility(eventType, body.text, "mode", await schemaTypeFor(body.schemaType, body.text, eventType, references), references.resolved));
    },
  },
  { method: "GET", pattern: ["config"], handler: async () => ok({ compatibilityLevel: await getGlobalCompatibility() }) },
  {
    method: "PUT",
    pattern: ["config"],
    handler: async (req) => {
      requireArchitect(req.actor);
      return ok(await setGlobalCompatibilityLevel(req.actor, parseLevel(req.body)));
    },
  },
  {
    method: "GET",
    pattern: ["config", ":subject"],
    handler: async (req, [subject]) => {
      const resolved = await resolveSubject(subject!, req.clusterName);
      const own = resolved.kind === "event-type" ? (await getEventTypeDetail(resolved.eventType))?.compatibility : resolved.kind === "unknown" ? await getPendingSubjectCompatibility(subject!) : null;
      if (resolved.kind === "ambiguous") await eventTypeOf(subject!, req.clusterName);
      if (own) return ok({ compatibilityLevel: own });
      if (req.query.get("defaultToGlobal") === "true") return ok({ compatibilityLevel: await getGlobalCompatibility() });
      throw new RegistryError(404, 40408, `Subject '${subject}' does not have subject-level compatibility configured`);
    },
  },
  {
    method: "PUT",
    pattern: ["config", ":subject"],
    handler: async (req, [subject]) => {
      requireArchitect(req.actor, subject);
      const level = parseLevel(req.body);
      const resolved = await resolveSubject(subject!, req.clusterName);
      if (resolved.kind === "event-type") return ok(await setCompatibility(req.actor, resolved.eventType, level));
      if (resolved.kind === "ambiguous") await eventTypeOf(subject!, req.clusterName);
      // Nothing registered under this subject yet: keep the level for the event type its first schema creates.
      const change = await setPendingSubjectCompatibility(subject!, level);
      await writeAudit({ actor: req.actor, action: "schema-registry.subject-compatibility.set", targetType: "schema-registry", targetId: subject!, details: change });
      return ok({ compatibility: level });
    },
  },
  {
    method: "DELETE",
    pattern: ["config", ":subject"],
    handler: async (req, [subject]) => {
      requireArchitect(req.actor, subject);
      const resolved = await resolveSubject(subject!, req.clusterName);
      if (resolved.kind === "unknown") {
        const change = await setPendingSubjectCompatibility(subject!, null);
        if (!change.before) throw new RegistryError(404, 40408, `Subject '${subject}' does not have subject-level compatibility configured`);
        await writeAudit({ actor: req.actor, action: "schema-registry.subject-compatibility.delete", targetType: "schema-registry", targetId: subject!, details: change });
        return ok({ compatibilityLevel: change.before });
      }
      const eventType = await eventTypeOf(subject!, req.clusterName);
      const detail = await getEventTypeDetail(eventType);
      if (!detail?.compatibility) throw new RegistryError(404, 40408, `Subject '${subject}' does not have subject-level compatibility configured`);
      await setCompatibility(req.actor, eventType, null);
      return ok({ compatibilityLevel: detail.compatibility });
    },
  },
  ...lifecycleRoutes(),
];

function compatibilityAnswer(req: RegistryRequest, result: Awaited<ReturnType<typeof testSchemaCompatibility>>): RegistryResponse {
  if (result.status === "invalid") throw invalidSchema(result.problems);
  const body: { is_compatible: boolean; messages?: string[] } = { is_compatible: result.reasons.length === 0 };
  if (req.query.get("verbose") === "true") body.messages = result.reasons.length === 0 ? [] : compatibilityMessages(result.reasons, result.compatibility);
  return ok(body);
}

function match(pattern: string[], path: string[]): string[] | null {
  if (pattern.length !== path.length) return null;
  const params: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i]!.startsWith(":")) params.push(path[i]!);
    else if (pattern[i] !== path[i]) return null;
  }
  return params;
}

/** Answers one registry request; errors become Confluent's `{ error_code, message }`. */
export async function handleRegistryRequest(req: RegistryRequest): Promise<RegistryResponse> {
  const candidates = routes.map((route) => ({ route, params: match(route.pattern, req.path) })).filter((c) => c.params !== null);
  const found = candidates.find((c) => c.route.method === req.method);
  try {
    if (!found) {
      if (candidates.length > 0) throw new RegistryError(405, 405, `HTTP 405 Method Not Allowed: ${req.method} is not supported here.`);
      throw new RegistryError(404, 404, "HTTP 404 Not Found");
    }
    return await found.route.handler(req, found.params!);
  } catch (error) {
    if (error instanceof RegistryError) return { status: error.status, body: { error_code: error.errorCode, message: error.message } };
    if (isAppError(error)) {
      if (error.code === "NOT_FOUND") return { status: 404, body: { error_code: 40401, message: error.userMessage } };
      if (error.code === "BAD_REQUEST") return { status: 422, body: { error_code: 422, message: error.userMessage } };
      if (error.code === "CONFLICT") return { status: 409, body: { error_code: 409, message: error.userMessage } };
      return { status: error.httpStatus, body: { error_code: 50001, message: error.userMessage } };
    }
    throw error;
  }
}

/** A request body that is not JSON, or too large, in Confluent's error shape. */
export function badBody(message: string, status = 400): RegistryResponse {
  // Confluent's codes: 422xx for an unprocessable schema; other statuses use the status itself.
  return { status, body: { error_code: status === 422 ? 42201 : status, message } };
}

// ── Deletes, references and mode (Confluent's DELETE /subjects…, /referencedby, /mode) ──────────

const NO_REFERENCES: PreparedReferences = { stored: [], resolved: [] };

const wantsDeleted = (req: RegistryRequest) => req.query.get("deleted") === "true";

/** A request's references resolved to registered versions; one that does not resolve makes the schema invalid (42201). */
async function referencesFor(references: ReferenceInput[], clusterName: string): Promise<PreparedReferences> {
  if (references.length === 0) return NO_REFERENCES;
  const prepared = await prepareReferences(references, clusterName);
  if (!prepared.ok) throw invalidSchema([prepared.problem]);
  return prepared.prepared;
}

/** Adds `references` to a version or schema body when it has any, as Confluent answers. */
async function withReferences<T extends object>(body: T, schemaVersionId: string): Promise<T | (T & { references: { name: string; subject: string; version: number }[] })> {
  const references = await listReferencesOf([schemaVersionId]);
  return references.length === 0 ? body : { ...body, references: references.map((r) => ({ name: r.name, subject: r.subject, version: r.version })) };
}

async function refuseWhenReadOnly(subjects: string[]): Promise<void> {
  const reason = await readOnlyReason(subjects);
  if (reason) throw new RegistryError(422, 42205, `${reason} Operation not permitted.`);
}

function parseMode(body: unknown): RegistryMode {
  const raw = (body as { mode?: unknown } | undefined)?.mode;
  const mode = typeof raw === "string" ? raw.toUpperCase() : "";
  if ((REGISTRY_MODES as readonly string[]).includes(mode)) return mode as RegistryMode;
  if (mode === "IMPORT" || mode === "READONLY_OVERRIDE") {
    throw new RegistryError(422, 42204, `Mode ${mode} is not supported by Signalbox's registry (it assigns schema ids itself); use READWRITE or READONLY.`);
  }
  throw new RegistryError(422, 42204, `Invalid mode ${JSON.stringify(raw ?? null)}. Valid values are READWRITE and READONLY (IMPORT and READONLY_OVERRIDE are not supported).`);
}

const subjectModeNotFound = (subject: string) => new RegistryError(404, 40409, `Subject '${subject}' does not have subject-level mode configured`);

/** The event type a delete acts on: like eventTypeOf, but a name that is no event type is "subject not found". */
async function deleteTargetOf(subject: string, clusterName: string) {
  const eventType = await eventTypeOf(subject, clusterName);
  await refuseWhenReadOnly([subject, eventType]);
  return eventType;
}

function deleteRefusal(outcome: Exclude<Awaited<ReturnType<typeof deleteVersions>>, { kind: "deleted" }>, subject: string, version: number | "latest" | null): RegistryError {
  const which = version === null ? `Subject '${subject}'` : `Subject '${subject}' Version ${version}`;
  switch (outcome.kind) {
    case "no-event-type":
      return subjectNotFound(subject);
    case "no-version":
      return versionNotFound(subject, version as number);
    case "already-soft-deleted":
      return new RegistryError(404, version === null ? 40404 : 40406, `${which} was soft deleted. Set permanent=true to delete permanently`);
    case "not-soft-deleted":
      return new RegistryError(404, version === null ? 40405 : 40407, `${which} was not deleted first before being permanently deleted`);
    case "referenced":
      return new RegistryError(422, 42206, `One or more references exist to the schema {subject=${subject}, version${outcome.versions.length === 1 ? "" : "s"}=${outcome.versions.join(", ")}}: referenced by ${describeReferrers(outcome.by)}.`);
    case "bound":
      return new RegistryError(422, 422, `${which} cannot be deleted permanently: it is still bound to topic ${describeBindings(outcome.topics)} in Signalbox's catalog, and records there may name its schema ids. Unbind the topic first: an architect removes the binding on the event type's page in Signalbox (Topics), or through the schemas.unbindTopics procedure.`);
  }
}

function lifecycleRoutes(): { method: string; pattern: string[]; handler: Handler }[] {
  return [
    {
      method: "DELETE",
      pattern: ["subjects", ":subject"],
      handler: async (req, [subject]) => {
        requireArchitect(req.actor, subject);
        const eventType = await deleteTargetOf(subject!, req.clusterName);
        const permanent = req.query.get("permanent") === "true";
        const outcome = await deleteVersions(req.actor, eventType, { subject: true }, permanent, { via: "registry", subject: subject! });
        if (outcome.kind !== "deleted") throw deleteRefusal(outcome, subject!, null);
        return ok(outcome.versions);
      },
    },
    {
      method: "DELETE",
      pattern: ["subjects", ":subject", "versions", ":version"],
      handler: async (req, [subject, raw]) => {
        requireArchitect(req.actor, subject);
        const version = parseVersion(raw!);
        const eventType = await deleteTargetOf(subject!, req.clusterName);
        const permanent = req.query.get("permanent") === "true";
        const outcome = await deleteVersions(req.actor, eventType, { version }, permanent, { via: "registry", subject: subject! });
        if (outcome.kind !== "deleted") throw deleteRefusal(outcome, subject!, version);
        return ok(outcome.versions[0]);
      },
    },
    {
      method: "GET",
      pattern: ["subjects", ":subject", "versions", ":version", "referencedby"],
      handler: async (req, [subject, version]) => {
        const { row } = await versionOf(subject!, await eventTypeOf(subject!, req.clusterName), version!, wantsDeleted(req));
        const by = await listReferrersOf([row.id]);
        return ok([...new Set(by.filter((r) => !r.deleted).map((r) => r.schemaId))].sort((a, b) => a - b));
      },
    },
    { method: "GET", pattern: ["mode"], handler: async () => ok({ mode: (await getMode("global")) ?? "READWRITE" }) },
    {
      method: "PUT",
      pattern: ["mode"],
      handler: async (req) => {
        requireArchitect(req.actor);
        const mode = parseMode(req.body);
        await setMode(req.actor, "global", mode);
        return ok({ mode });
      },
    },
    {
      method: "GET",
      pattern: ["mode", ":subject"],
      handler: async (req, [subject]) => {
        const own = await getMode({ subject: subject! });
        if (own) return ok({ mode: own });
        if (req.query.get("defaultToGlobal") === "true") return ok({ mode: (await getMode("global")) ?? "READWRITE" });
        throw subjectModeNotFound(subject!);
      },
    },
    {
      method: "PUT",
      pattern: ["mode", ":subject"],
      handler: async (req, [subject]) => {
        requireArchitect(req.actor, subject);
        const mode = parseMode(req.body);
        await setMode(req.actor, { subject: subject! }, mode);
        return ok({ mode });
      },
    },
    {
      method: "DELETE",
      pattern: ["mode", ":subject"],
      handler: async (req, [subject]) => {
        requireArchitect(req.actor, subject);
        if (!(await getMode({ subject: subject! }))) throw subjectModeNotFound(subject!);
        const change = await setMode(req.actor, { subject: subject! }, null);
        return ok({ mode: change.before });
      },
    },
  ];
}
