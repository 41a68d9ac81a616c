// A small client for Kafka Connect's REST API (https://kafka.apache.org/documentation/#connect_rest):
// plain fetch, each call bounded in time and in the size of the answer, and every refusal turned
// into an AppError that carries Connect's own reason (its `message`). Kafka Connect is not Kafka,
// so this lives apart from broker/. Credentials go in the Authorization header, never in a URL or
// a message.
import { AppError, type AppErrorCode } from "~/server/errors";

export interface ConnectEndpoint {
  /** The Connect cluster's name in Signalbox (for messages). */
  name: string;
  url: string;
  basicAuth: { username: string; password: string } | null;
}

/** A connector's or a task's state as Connect reports it. */
export type ConnectState = "RUNNING" | "PAUSED" | "STOPPED" | "FAILED" | "UNASSIGNED" | "RESTARTING" | (string & {});

export interface ConnectTaskStatus {
  id: number;
  state: ConnectState;
  workerId: string | null;
  /** The stack trace of a FAILED task. */
  trace: string | null;
}

export interface ConnectorListing {
  name: string;
  type: "source" | "sink" | (string & {});
  state: ConnectState;
  workerId: string | null;
  trace: string | null;
  tasks: ConnectTaskStatus[];
  config: Record<string, string>;
}

/** The most a Connect answer may hold: a list of many connectors with traces fits easily. */
export const CONNECT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
  timeoutMs: number;
}

/** Reads at most `max` bytes of a body; more is an error, not a truncation. */
async function boundedText(response: Response, max: number, what: string): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > max) throw new AppError("BROKER_ERROR", `${what} answered with ${declared} bytes, more than the ${max} Signalbox reads.`);
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new AppError("BROKER_ERROR", `${what} answered with more than the ${max} bytes Signalbox reads.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function codeFor(status: number): AppErrorCode {
  if (status === 400 || status === 422) return "BAD_REQUEST";
  if (status === 401 || status === 403) return "BROKER_AUTH_FAILED";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  return "BROKER_ERROR";
}

/** Connect's own reason from an error body ({"error_code":409,"message":"…"}), else the body's start. */
export function connectReason(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === "string" && parsed.message.trim()) return parsed.message.trim().slice(0, 2000);
  } catch {
    // not JSON: a proxy's page, say
  }
  const text = body.replace(/\s+/g, " ").trim();
  return text ? text.slice(0, 300) : "no reason given";
}

/**
 * One call: the parsed JSON answer (null for an empty one, e.g. 202/204), or an AppError naming the
 * Connect cluster, the call and Connect's reason.
 */
export async function connectRequest<T>(endpoint: ConnectEndpoint, path: string, options: RequestOptions): Promise<T> {
  const method = options.method ?? "GET";
  const what = `Kafka Connect "${endpoint.name}"`;
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (endpoint.basicAuth) headers.authorization = `Basic ${Buffer.from(`${endpoint.basicAuth.username}:${endpoint.basicAuth.password}`).toString("base64")}`;
  let response: Response;
  try {
    response = await fetch(`${endpoint.url}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs),
      redirect: "error",
    });
  } catch (error) {
    const cause = error as { name?: string; cause?: { code?: string } };
    if (cause.name === "TimeoutError") throw new AppError("BROKER_TIMEOUT", `${what} at ${endpoint.url} did not answer ${method} ${path} within ${options.timeoutMs} ms.`, { cause: error });
    throw new AppError("BROKER_UNREACHABLE", `${what} at ${endpoint.url} cannot be reached (${cause.cause?.code ?? (error instanceof Error ? error.message : String(error))}).`, { cause: error });
  }
  const body = await boundedText(response, CONNECT_MAX_RESPONSE_BYTES, what);
  if (!response.ok) {
    const reason = connectReason(body);
    throw new AppError(codeFor(response.status), `${what} refused ${method} ${decodeURIComponent(path.split("?")[0]!)} (HTTP ${response.status}): ${reason}`);
  }
  if (!body.trim()) return null as T;
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new AppError("BROKER_ERROR", `${what} answered ${method} ${path} with something that is not JSON.`);
  }
}

const seg = (s: string) => encodeURIComponent(s);

interface RawState {
  state?: string;
  worker_id?: string;
  trace?: string;
}

interface RawExpanded {
  status?: { name: string; connector?: RawState; tasks?: (RawState & { id: number })[]; type?: string };
  info?: { name: string; config?: Record<string, string>; type?: string };
}

/**
 * Every connector with its state, its tasks' states (and traces) and its configuration: one call.
 * `withConfig: false` leaves the configurations out (config is then empty): the worker's check.
 */
export async function listConnectors(endpoint: ConnectEndpoint, timeoutMs: number, options: { withConfig?: boolean } = {}): Promise<ConnectorListing[]> {
  const expand = options.withConfig === false ? "expand=status" : "expand=status&expand=info";
  const raw = (await connectRequest<Record<string, RawExpanded> | null>(endpoint, `/connectors?${expand}`, { timeoutMs })) ?? {};
  return Object.entries(raw)
    .map(([name, c]) => ({
      name,
      type: c.status?.type ?? c.info?.type ?? "unknown",
      state: c.status?.connector?.state ?? "UNASSIGNED",
      workerId: c.status?.connector?.worker_id ?? null,
      trace: c.status?.connector?.trace ?? null,
      tasks: (c.status?.tasks ?? []).map((t) => ({ id: t.id, state: t.state ?? "UNASSIGNED", workerId: t.worker_id ?? null, trace: t.trace ?? null })).sort((a, b) => a.id - b.id),
      config: c.info?.config ?? {},
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export async function createConnector(endpoint: ConnectEndpoint, name: string, config: Record<string, string>, timeoutMs: number): Promise<void> {
  await connectRequest(endpoint, "/connectors", { method: "POST", body: { name, config }, timeoutMs });
}

export async function pauseConnector(endpoint: ConnectEndpoint, name: string, timeoutMs: number): Promise<void> {
  await connectRequest(endpoint, `/connectors/${seg(name)}/pause`, { method: "PUT", timeoutMs });
}

export async function resumeConnector(endpoint: ConnectEndpoint, name: string, timeoutMs: number): Promise<void> {
  await connectRequest(endpoint, `/connectors/${seg(name)}/resume`, { method: "PUT", timeoutMs });
}

/** Restarts the connector and all its tasks (KIP-745), or only those that failed. */
export async function restartConnector(endpoint: ConnectEndpoint, name: string, onlyFailed: boolean, timeoutMs: number): Promise<void> {
  await connectRequest(endpoint, `/connectors/${seg(name)}/restart?includeTasks=true&onlyFailed=${onlyFailed}`, { method: "POST", timeoutMs });
}

export async function restartTask(endpoint: ConnectEndpoint, name: string, task: number, timeoutMs: number): Promise<void> {
  await connectRequest(endpoint, `/connectors/${seg(name)}/tasks/${task}/restart`, { method: "POST", timeoutMs });
}

export async function deleteConnector(endpoint: ConnectEndpoint, name: string, timeoutMs: number): Promise<void> {
  await connectRequest(endpoint, `/connectors/${seg(name)}`, { method: "DELETE", timeoutMs });
}
