// A small client for an external schema registry's Confluent-compatible REST API (Confluent Schema
// Registry, Karapace, Apicurio's /apis/ccompat/v7, or another Signalbox): node:http(s), so a private
// CA can be trusted per registry; each call bounded in time and in the size of the answer; every
// failure an AppError that names the registry, the call and the reason (the registry's own message
// when it gives one). Credentials go in the Authorization header only, never in a URL, a message or
// a log line.
import http from "node:http";
import https from "node:https";
import { AppError, type AppErrorCode } from "~/server/errors";
import type { RegistryAuth } from "~/server/services/clusters/definition";

export interface ExternalRegistry {
  /** The Kafka cluster whose registry it is (for messages). */
  cluster: string;
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:8080/apis/ccompat/v7. */
  url: string;
  auth: RegistryAuth | null;
  /** PEM CA bundle for an https URL; null: Node.js's public CAs. */
  ca: string | null;
}

/** Confluent's answer for a schema (by id, or a subject's version). */
export interface RegistrySchema {
  subject?: string;
  version?: number;
  id?: number;
  /** Absent for Avro, as Confluent writes it. */
  schemaType?: string;
  schema: string;
  references?: { name: string; subject: string; version: number }[];
}

/** The most a registry answer may hold: a schema is at most a few hundred KiB; lists of subjects stay small. */
export const REGISTRY_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
export const REGISTRY_TIMEOUT_MS = 5_000;

const CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

export const describeRegistry = (registry: ExternalRegistry) => `The schema registry of cluster ${registry.cluster} (${registry.url})`;

/** The registry's own reason from an error body ({"error_code":40403,"message":"…"}), else the body's start. */
export function registryReason(body: string): { code: number | null; message: string } {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error_code?: unknown; detail?: unknown; title?: unknown };
    const code = typeof parsed.error_code === "number" ? parsed.error_code : null;
    const message = [parsed.message, parsed.detail, parsed.title].find((m): m is string => typeof m === "string" && m.trim() !== "");
    if (message) return { code, message: message.trim().slice(0, 1000) };
    if (code !== null) return { code, message: `error code ${code}` };
  } catch {
    // not JSON: a proxy's page, say
  }
  const text = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return { code: null, message: text ? text.slice(0, 300) : "no reason given" };
}

function codeFor(status: number): AppErrorCode {
  if (status === 400 || status === 422) return "BAD_REQUEST";
  if (status === 401 || status === 403) return "BROKER_AUTH_FAILED";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  return "BROKER_ERROR";
}

const CA_WHERE = "the registry CA in Settings, or schemaRegistry.caFile in the clusters document";
const TLS_WORDS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: `its certificate is signed by a CA Signalbox does not trust: give the registry's CA (${CA_WHERE})`,
  SELF_SIGNED_CERT_IN_CHAIN: `its certificate chains to a CA Signalbox does not trust: give the registry's CA (${CA_WHERE})`,
  DEPTH_ZERO_SELF_SIGNED_CERT: `its certificate is self-signed and not trusted: give it as the registry's CA (${CA_WHERE})`,
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: `its certificate's issuer is not trusted: give the registry's CA (${CA_WHERE})`,
  CERT_HAS_EXPIRED: "its certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "its certificate is not valid for this host name",
};

/** Why a connection failed, in words: refused, unknown host, TLS, timeout. */
function connectionProblem(error: NodeJS.ErrnoException): string {
  const code = error.code ?? "";
  if (TLS_WORDS[code]) return `TLS: ${TLS_WORDS[code]} (${code})`;
  if (code === "ECONNREFUSED") return "connection refused: nothing listens there (ECONNREFUSED)";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `host not found (${code})`;
  if (code === "ECONNRESET") return "the connection was reset (ECONNRESET): is it an http:// URL to a TLS port, or the other way round?";
  if (code === "EPROTO" || /wrong version number|packet length too long/i.test(error.message)) return "TLS handshake failed: is it an https:// URL to a plain HTTP port? (EPROTO)";
  return `${error.message}${code ? ` (${code})` : ""}`;
}

interface RequestOptions {
  method?: "GET" | "POST";
  body?: unknown;
  timeoutMs?: number;
}

/** One call: the parsed JSON answer, or an AppError naming the registry, the call and the reason. */
export async function registryRequest<T>(registry: ExternalRegistry, path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const timeoutMs = options.timeoutMs ?? REGISTRY_TIMEOUT_MS;
  const what = describeRegistry(registry);
  const call = `${method} ${decodeURIComponent(path.split("?")[0]!)}`;
  const url = new URL(`${registry.url}${path}`);
  const headers: Record<string, string> = { accept: `${CONTENT_TYPE}, application/json` };
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  if (payload) {
    headers["content-type"] = CONTENT_TYPE;
    headers["content-length"] = String(payload.length);
  }
  if (registry.auth?.kind === "basic") headers.authorization = `Basic ${Buffer.from(`${registry.auth.username}:${registry.auth.password}`).toString("base64")}`;
  if (registry.auth?.kind === "bearer") headers.authorization = `Bearer ${registry.auth.token}`;

  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const secure = url.protocol === "https:";
    const request = (secure ? https : http).request(url, { method, headers, timeout: timeoutMs, ...(secure && registry.ca ? { ca: registry.ca } : {}) }, (response) => {
      const declared = Number(response.headers["content-length"] ?? "0");
      if (declared > REGISTRY_MAX_RESPONSE_BYTES) {
        response.destroy();
        reject(new AppError("BROKER_ERROR", `${what} answered ${call} with ${declared} bytes, more than the ${REGISTRY_MAX_RESPONSE_BYTES} Signalbox reads.`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > REGISTRY_MAX_RESPONSE_BYTES) {
          response.destroy();
          reject(new AppError("BROKER_ERROR", `${what} answered ${call} with more than the ${REGISTRY_MAX_RESPONSE_BYTES} bytes Signalbox reads.`));
          return;
        }
        chunks.push(chunk);
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", (error) => reject(new AppError("BROKER_UNREACHABLE", `${what} broke off its answer to ${call}: ${connectionProblem(error)}.`, { cause: error })));
    });
    request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { code: "SIGNALBOX_TIMEOUT" })));
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "SIGNALBOX_TIMEOUT") reject(new AppError("BROKER_TIMEOUT", `${what} did not answer ${call} within ${timeoutMs} ms.`, { cause: error }));
      else reject(new AppError("BROKER_UNREACHABLE", `${what} cannot be reached: ${connectionProblem(error)}.`, { cause: error }));
    });
    request.end(payload);
  });

  if (status >= 300 && status < 400) throw new AppError("BROKER_ERROR", `${what} answered ${call} with a redirect (HTTP ${status}); Signalbox does not follow redirects: give the registry's own URL.`);
  if (status < 200 || status >= 300) {
    const reason = registryReason(body);
    const hint = status === 401 || status === 403 ? " Check the registry credentials of this cluster (in Settings, or schemaRegistry username and password, or token, in the clusters document)." : "";
    throw new AppError(codeFor(status), `${what} refused ${call} (HTTP ${status}${reason.code !== null ? `, error ${reason.code}` : ""}): ${reason.message.replace(/\.+$/, "")}.${hint}`);
  }
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new AppError("BROKER_ERROR", `${what} answered ${call} with something that is not JSON; is ${registry.url} the registry's Confluent-compatible API (for Apicurio: …/apis/ccompat/v7)?`);
  }
}

const seg = (s: string) => encodeURIComponent(s);

export const fetchSchemaById = (registry: ExternalRegistry, id: number) => registryRequest<RegistrySchema>(registry, `/schemas/ids/${id}`);
export const fetchSubjects = (registry: ExternalRegistry) => registryRequest<string[]>(registry, "/subjects");
export const fetchVersions = (registry: ExternalRegistry, subject: string) => registryRequest<number[]>(registry, `/subjects/${seg(subject)}/versions`);
export const fetchSubjectVersion = (registry: ExternalRegistry, subject: string, version: number | "latest") => registryRequest<RegistrySchema>(registry, `/subjects/${seg(subject)}/versions/${version}`);

/** Registers a schema under a subject; the registry's id for it. */
export async function postSchema(registry: ExternalRegistry, subject: string, schema: { schema: string; schemaType: string; references?: RegistrySchema["references"] }): Promise<number> {
  const body = { schema: schema.schema, ...(schema.schemaType === "AVRO" ? {} : { schemaType: schema.schemaType }), ...(schema.references?.length ? { references: schema.references } : {}) };
  const answer = await registryRequest<{ id?: unknown }>(registry, `/subjects/${seg(subject)}/versions`, { method: "POST", body });
  if (typeof answer.id !== "number") throw new AppError("BROKER_ERROR", `${describeRegistry(registry)} answered the registration of ${subject} without an id.`);
  return answer.id;
}

/** Why a registry could not be used, in the words "test connection" reports. */
export type RegistryFailure = "unreachable" | "tls" | "timeout" | "unauthorized" | "not-a-registry" | "error";

export interface RegistryTestResult {
  url: string;
  ok: boolean;
  /** What it answered (the number of subjects), or why it failed, naming the problem. */
  message: string;
  failure: RegistryFailure | null;
}

function failureOf(error: unknown): RegistryFailure {
  if (!(error instanceof AppError)) return "error";
  const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
  if (error.code === "BROKER_TIMEOUT") return "timeout";
  if (error.code === "BROKER_AUTH_FAILED") return "unauthorized";
  if (error.code === "BROKER_UNREACHABLE") return cause?.code && (TLS_WORDS[cause.code] || cause.code === "EPROTO" || cause.code.startsWith("ERR_TLS") || cause.code.startsWith("ERR_SSL")) ? "tls" : "unreachable";
  if (error.code === "NOT_FOUND" || /not JSON/.test(error.userMessage)) return "not-a-registry";
  return "error";
}

/**
 * Asks the registry for its subjects with the cluster's credentials and CA: what Signalbox does
 * first when it reads it. Never throws; the message names the problem (unreachable, TLS, 401, …).
 */
export async function testRegistry(registry: ExternalRegistry): Promise<RegistryTestResult> {
  try {
    const subjects = await fetchSubjects(registry);
    if (!Array.isArray(subjects)) return { url: registry.url, ok: false, failure: "not-a-registry", message: `${describeRegistry(registry)} answered GET /subjects with something that is not a list of subjects; is it the registry's Confluent-compatible API?` };
    return { url: registry.url, ok: true, failure: null, message: `answered GET /subjects: ${subjects.length} subject${subjects.length === 1 ? "" : "s"}${registry.auth ? ` (${registry.auth.kind === "basic" ? "HTTP Basic" : "Bearer"} authentication)` : ""}` };
  } catch (error) {
    const failure = failureOf(error);
    const message = error instanceof AppError ? error.userMessage : String(error);
    return { url: registry.url, ok: false, failure, message: failure === "not-a-registry" && !/Confluent-compatible/.test(message) ? `${message} Is ${registry.url} the registry's Confluent-compatible API (for Apicurio: …/apis/ccompat/v7)?` : message };
  }
}
