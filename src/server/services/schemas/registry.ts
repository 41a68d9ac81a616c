// Confluent Schema Registry's REST API over the catalog, so existing clients and serializers work
// against Signalbox. Paths, bodies and error codes follow Confluent's API reference; the route
// handler under /api/schema-registry only parses HTTP and calls this.
import {
  COMPATIBILITY_MODES,
  findSchemaBySchemaId,
  getEventTypeDetail,
  getGlobalCompatibility,
  getPendingSubjectCompatibility,
  listVersionsBySchemaId,
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
import { fileDescriptorBytes } from "./protobuf";
import { listSubjects, newEventTypeForSubject, resolveSubject, subjectsOf } from "./subjects";

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
function schemaFromBody(body: unknown): { text: string; schemaType: SchemaType | null } {
  const b = body as { schema?: unknown; schemaType?: unknown; references?: unknown } | undefined;
  if (!b || typeof b.schema !== "string") throw new RegistryError(422, 42201, 'Invalid schema: the body must be {"schema": "<the schema as a string>", "schemaType": "AVRO", "JSON" or "PROTOBUF"}.');
  const declared = typeof b.schemaType === "string" ? b.schemaType.toUpperCase() : b.schemaType;
  if (declared !== undefined && declared !== null && !SUPPORTED_TYPES.includes(declared as SchemaType)) {
    throw new RegistryError(422, 42201, `Invalid schema: schemaType ${JSON.stringify(b.schemaType)} is not supported; Signalbox's registry stores ${SUPPORTED_TYPES.join(", ")} schemas.`);
  }
  if (Array.isArray(b.references) && b.references.length > 0) {
    throw new RegistryError(422, 42201, "Invalid schema: schema references are not supported; inline the referenced types (Avro named types in the same schema, JSON Schema under $defs/definitions, Protobuf messages in the same .proto file).");
  }
  return { text: b.schema, schemaType: (declared as SchemaType | null | undefined) ?? null };
}

/**
 * A body without schemaType means Avro in Confluent's API (its clients send none for Avro). Signalbox
 * took such bodies as JSON Schema before it stored Avro, so: an existing event type keeps its
 * latest version's format; a new subject is Avro when the text is an Avro schema, else JSON Schema.
 */
async function schemaTypeFor(declared: SchemaType | null, text: string, eventType: string | null): Promise<SchemaType> {
  if (declared) return declared;
  if (eventType) return latestSchemaType(eventType);
  return parseSchema("AVRO", text).ok ? "AVRO" : parseSchema("JSON", text).ok ? "JSON" : "AVRO";
}

/**
 * The schema text as a client asks for it: as registered, or with `format=serialized` a Protobuf
 * schema as the base64 of its FileDescriptorProto (what Confluent's own clients request).
 */
function schemaText(row: Pick<SchemaVersionRow, "schemaType" | "schema">, query: URLSearchParams): string {
  if (row.schemaType !== "PROTOBUF" || query.get("format") !== "serialized") return row.schema;
  const parsed = parseSchema("PROTOBUF", row.schema);
  if (!parsed.ok || parsed.schemaType !== "PROTOBUF") throw new RegistryError(500, 50001, `The stored Protobuf schema no longer parses: ${parsed.ok ? "wrong format" : parsed.problems.join("; ")}`);
  return Buffer.from(fileDescriptorBytes(parsed)).toString("base64");
}

/** A version as Confluent answers it: schemaType is left out for Avro, the default. */
function versionBody(subject: string, row: Pick<SchemaVersionRow, "version" | "schemaId" | "schemaType" | "schema">, query = new URLSearchParams()) {
  return { subject, version: row.version, id: row.schemaId, ...(row.schemaType === "AVRO" ? {} : { schemaType: row.schemaType }), schema: schemaText(row, query) };
}

async function eventTypeOf(subject: string, clusterName: string): Promise<string> {
  const resolved = await resolveSubject(subject, clusterName);
  if (resolved.kind === "event-type") return resolved.eventType;
  if (resolved.kind === "ambiguous") {
    throw new RegistryError(404, 40401, `Subject '${subject}' not found: topic '${resolved.topic}' carries several event types (${resolved.eventTypes.join(", ")}); use the subject named after the event type.`);
  }
  throw subjectNotFound(subject);
}

async function versionOf(subject: string, eventType: string, raw: string) {
  const version = parseVersion(raw);
  const detail = await getEventTypeDetail(eventType);
  if (!detail) throw subjectNotFound(subject);
  const row = version === "latest" ? detail.versions.at(-1) : detail.versions.find((v) => v.version === version);
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
  { method: "GET", pattern: ["subjects"], handler: async (req) => ok(await listSubjects(req.clusterName)) },
  {
    method: "GET",
    pattern: ["subjects", ":subject", "versions"],
    handler: async (req, [subject]) => {
      const detail = await getEventTypeDetail(await eventTypeOf(subject!, req.clusterName));
      return ok(detail?.versions.map((v) => v.version) ?? []);
    },
  },
  {
    method: "GET",
    pattern: ["subjects", ":subject", "versions", ":version"],
    handler: async (req, [subject, version]) => {
      const { row } = await versionOf(subject!, await eventTypeOf(subject!, req.clusterName), version!);
      return ok(versionBody(subject!, row, req.query));
    },
  },
  {
    method: "GET",
    pattern: ["subjects", ":subject", "versions", ":version", "schema"],
    handler: async (req, [subject, version]) => {
      const { row } = await versionOf(subject!, await eventTypeOf(subject!, req.clusterName), version!);
      // Confluent answers the schema itself: a JSON document for JSON Schema and Avro, the .proto text (as a JSON string) for Protobuf.
      return ok(row.schemaType === "PROTOBUF" ? schemaText(row, req.query) : JSON.parse(row.schema));
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
      let outcome;
      const schemaType = await schemaTypeFor(body.schemaType, schemaText, resolved.kind === "event-type" ? resolved.eventType : null);
      if (resolved.kind === "event-type") outcome = await registerSchema(req.actor, resolved.eventType, schemaText, { source: "registry", schemaType });
      else {
        const parsed = parseSchema(schemaType, schemaText);
        if (!parsed.ok) throw invalidSchema(parsed.problems);
        const target = await newEventTypeForSubject(subject!, req.clusterName, nameOf(parsed));
        const pending = await getPendingSubjectCompatibility(subject!);
        outcome = await registerSchema(req.actor, target.name, schemaText, {
          create: { domain: "unassigned", owner: "unassigned", description: `Registered through the schema registry API as subject "${subject}".`, compatibility: pending, topics: target.topics },
          source: "registry",
          schemaType,
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
      const parsed = parseSchema(await schemaTypeFor(body.schemaType, body.text, eventType), body.text);
      if (!parsed.ok) throw invalidSchema(parsed.problems);
      const detail = await getEventTypeDetail(eventType);
      const row = detail?.versions.find((v) => v.fingerprint === parsed.fingerprint);
      if (!row) throw schemaNotFound();
      return ok(versionBody(subject!, row));
    },
  },
  {
    method: "GET",
    pattern: ["schemas", "ids", ":id"],
    handler: async (req, [id]) => {
      const row = /^\d+$/.test(id!) ? await findSchemaBySchemaId(Number(id)) : null;
      if (!row) throw schemaNotFound(`Schema ${id} not found`);
      return ok(row.schemaType === "AVRO" ? { schema: row.schema } : { schemaType: row.schemaType, schema: schemaText(row, req.query) });
    },
  },
  {
    method: "GET",
    pattern: ["schemas", "ids", ":id", "versions"],
    handler: async (_req, [id]) => {
      const rows = /^\d+$/.test(id!) ? await listVersionsBySchemaId(Number(id)) : [];
      if (rows.length === 0) throw schemaNotFound(`Schema ${id} not found`);
      return ok(rows.map((r) => ({ subject: r.eventType, version: r.version })));
    },
  },
  {
    method: "GET",
    pattern: ["schemas", "ids", ":id", "subjects"],
    handler: async (req, [id]) => {
      const rows = /^\d+$/.test(id!) ? await listVersionsBySchemaId(Number(id)) : [];
      if (rows.length === 0) throw schemaNotFound(`Schema ${id} not found`);
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
      return compatibilityAnswer(req, await testSchemaCompatibility(eventType, body.text, row.version, await schemaTypeFor(body.schemaType, body.text, eventType)));
    },
  },
  {
    method: "POST",
    pattern: ["compatibility", "subjects", ":subject", "versions"],
    handler: async (req, [subject]) => {
      const body = schemaFromBody(req.body);
      const eventType = await eventTypeOf(subject!, req.clusterName);
      return compatibilityAnswer(req, await testSchemaCompatibility(eventType, body.text, "mode", await schemaTypeFor(body.schemaType, body.text, eventType)));
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
      if (candidates.length > 0) throw new RegistryError(405, 405, `HTTP 405 Method Not Allowed: ${req.method} is not supported here${req.method === "DELETE" ? "; schema versions are immutable in Signalbox" : ""}.`);
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
