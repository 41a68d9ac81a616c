// Kafka Connect: the connectors of the Connect clusters configured for a Kafka cluster, their
// states and their tasks', and what operators and admins do to them (create from JSON, pause,
// resume, restart, delete). Every action asks Connect first and records the outcome in the audit
// log, a refusal included with Connect's own reason; a refusal then reaches the caller as an error.
import type { Env } from "~/env";
import {
  createConnector,
  deleteConnector,
  listConnectors,
  pauseConnector,
  restartConnector,
  restartTask,
  resumeConnector,
  type ConnectEndpoint,
  type ConnectorListing,
} from "~/server/connect/client";
import { writeAudit, type Actor } from "~/server/catalog";
import { AppError, describeError, isAppError } from "~/server/errors";
import { connectDefinitionsOf } from "~/server/services/clusters/clusters";
import { connectorNameSchema, type ConnectorRef, type CreateConnectorRequest, type RestartRequest } from "./connect.types";

/** Where Connect names a sink connector's dead-letter topic. */
export const DLQ_TOPIC_CONFIG = "errors.deadletterqueue.topic.name";

/** Config keys whose values are secrets by Kafka's own naming; shown as set, never as what they are. */
const SECRET_KEY = /(password|secret|token|credential|jaas\.config|private|api\.key|apikey|(^|\.)key$)/i;
export const HIDDEN = "[hidden]";

export interface ConnectorView extends Omit<ConnectorListing, "config"> {
  /** Its configuration, secret-looking values hidden. */
  config: Record<string, string>;
  /** The topic it dead-letters to (errors.deadletterqueue.topic.name), when it has one. */
  dlqTopic: string | null;
  failedTasks: number;
}

export interface ConnectClusterView {
  name: string;
  url: string;
  /** Null when Connect answered; else why not (the page shows it, and the other clusters still). */
  error: string | null;
  connectors: ConnectorView[];
}

export function hideSecrets(config: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, SECRET_KEY.test(k) && !/\.(class|converter)$/.test(k) && v ? HIDDEN : v]));
}

export function toConnectorView(c: ConnectorListing): ConnectorView {
  const dlq = c.config[DLQ_TOPIC_CONFIG]?.trim();
  return { ...c, config: hideSecrets(c.config), dlqTopic: dlq ? dlq : null, failedTasks: c.tasks.filter((t) => t.state === "FAILED").length };
}

/** The Connect clusters of a Kafka cluster, as the client reaches them. */
export async function connectEndpoints(env: Env, clusterName: string): Promise<ConnectEndpoint[]> {
  return (await connectDefinitionsOf(env, clusterName)).map((d) => ({ name: d.name, url: d.url, basicAuth: d.basicAuth }));
}

async function endpointOf(env: Env, clusterName: string, connect: string): Promise<ConnectEndpoint> {
  const all = await connectEndpoints(env, clusterName);
  const found = all.find((e) => e.name === connect);
  if (found) return found;
  throw new AppError("NOT_FOUND", all.length ? `No Kafka Connect cluster "${connect}" on cluster ${clusterName}; it has ${all.map((e) => `"${e.name}"`).join(", ")}.` : `Cluster ${clusterName} has no Kafka Connect cluster configured (docs/connect.md).`);
}

/** Every configured Connect cluster with its connectors; one that does not answer says why. */
export async function listConnectClusters(env: Env, clusterName: string): Promise<ConnectClusterView[]> {
  return Promise.all(
    (await connectEndpoints(env, clusterName)).map(async (endpoint) => {
      try {
        const connectors = await listConnectors(endpoint, env.CONNECT_REQUEST_TIMEOUT_MS);
        return { name: endpoint.name, url: endpoint.url, error: null, connectors: connectors.map(toConnectorView) };
      } catch (error) {
        return { name: endpoint.name, url: endpoint.url, error: describeError(error), connectors: [] };
      }
    }),
  );
}

export async function getConnector(env: Env, clusterName: string, ref: ConnectorRef): Promise<ConnectorView & { connect: string; connectUrl: string }> {
  const endpoint = await endpointOf(env, clusterName, ref.connect);
  const found = (await listConnectors(endpoint, env.CONNECT_REQUEST_TIMEOUT_MS)).find((c) => c.name === ref.connector);
  if (!found) throw new AppError("NOT_FOUND", `Kafka Connect "${endpoint.name}" has no connector "${ref.connector}".`);
  return { ...toConnectorView(found), connect: endpoint.name, connectUrl: endpoint.url };
}

/**
 * Connect's create body from what a person pasted: `{"name": …, "config": {…}}` or the config alone
 * with its "name". Values are strings to Connect; numbers and booleans are taken as their text.
 */
export function parseConnectorJson(json: string): { name: string; config: Record<string, string> } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new AppError("BAD_REQUEST", `The connector is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new AppError("BAD_REQUEST", 'The connector must be a JSON object: {"name": "…", "config": {"connector.class": "…", …}}.');
  const body = raw as Record<string, unknown>;
  const nested = body.config !== undefined && typeof body.config === "object" && body.config !== null && !Array.isArray(body.config);
  const source = (nested ? body.config : body) as Record<string, unknown>;
  const config: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(source)) {
    if (nested && key === "name") continue;
    if (typeof value === "string") config[key] = value;
    else if (typeof value === "number" || typeof value === "boolean") config[key] = String(value);
    else problems.push(`config "${key}" must be a string, number or boolean`);
  }
  const givenName = nested ? (body.name ?? source.name) : source.name;
  const name = connectorNameSchema.safeParse(typeof givenName === "string" ? givenName : "");
  if (!name.success) problems.unshift(`name: ${name.error.issues[0]!.message}`);
  if (!config["connector.class"]) problems.push('config "connector.class" is required, e.g. "FileStreamSink"');
  if (Object.keys(config).length > 500) problems.push("at most 500 config entries");
  if (problems.length > 0) throw new AppError("BAD_REQUEST", `The connector is not valid: ${problems.join("; ")}.`);
  if (nested && typeof body.name === "string" && typeof source.name === "string" && body.name !== source.name) throw new AppError("BAD_REQUEST", `The connector is not valid: name "${body.name}" and config "name" "${source.name}" differ.`);
  delete config.name;
  return { name: name.data!, config };
}

/**
 * Runs `change` against Connect and audits the outcome: `<action>` with what was done, or
 * `<action>-refused` with Connect's reason (then the error goes on to the caller).
 */
async function audited(actor: Actor, clusterName: string, endpoint: ConnectEndpoint, action: string, connector: string, details: Record<string, unknown>, change: () => Promise<void>): Promise<void> {
  const target = { targetType: "connector", targetId: `${clusterName}/${endpoint.name}/${connector}` };
  const base = { cluster: clusterName, connect: endpoint.name, connector, ...details };
  try {
    await change();
  } catch (error) {
    if (isAppError(error)) await writeAudit({ actor, action: `${action}-refused`, ...target, details: { ...base, reason: error.userMessage } });
    throw error;
  }
  await writeAudit({ actor, action, ...target, details: base });
}

export async function createConnectorFromJson(actor: Actor, env: Env, clusterName: string, request: CreateConnectorRequest): Promise<{ name: string }> {
  const endpoint = await endpointOf(env, clusterName, request.connect);
  const { name, config } = parseConnectorJson(request.json);
  // The audit keeps the configuration without its secrets.
  await audited(actor, clusterName, endpoint, "connector.create", name, { config: hideSecrets(config) }, () => createConnector(endpoint, name, config, env.CONNECT_REQUEST_TIMEOUT_MS));
  return { name };
}

export async function pauseConnectorAudited(actor: Actor, env: Env, clusterName: string, ref: ConnectorRef): Promise<void> {
  const endpoint = await endpointOf(env, clusterName, ref.connect);
  await audited(actor, clusterName, endpoint, "connector.pause", ref.connector, {}, () => pauseConnector(endpoint, ref.connector, env.CONNECT_REQUEST_TIMEOUT_MS));
}

export async function resumeConnectorAudited(actor: Actor, env: Env, clusterName: string, ref: ConnectorRef): Promise<void> {
  const endpoint = await endpointOf(env, clusterName, ref.connect);
  await audited(actor, clusterName, endpoint, "connector.resume", ref.connector, {}, () => resumeConnector(endpoint, ref.connector, env.CONNECT_REQUEST_TIMEOUT_MS));
}

export async function restartConnectorAudited(actor: Actor, env: Env, clusterName: string, request: RestartRequest): Promise<void> {
  const endpoint = await endpointOf(env, clusterName, request.connect);
  const timeout = env.CONNECT_REQUEST_TIMEOUT_MS;
  if (request.task !== undefined) {
    const task = request.task;
    await audited(actor, clusterName, endpoint, "connector.restart-task", request.connector, { task }, () => restartTask(endpoint, request.connector, task, timeout));
  } else {
    await audited(actor, clusterName, endpoint, "connector.restart", request.connector, { onlyFailed: request.onlyFailed }, () => restartConnector(endpoint, request.connector, request.onlyFailed, timeout));
  }
}

export async function deleteConnectorAudited(actor: Actor, env: Env, clusterName: string, ref: ConnectorRef): Promise<void> {
  const endpoint = await endpointOf(env, clusterName, ref.connect);
  await audited(actor, clusterName, endpoint, "connector.delete", ref.connector, {}, () => deleteConnector(endpoint, ref.connector, env.CONNECT_REQUEST_TIMEOUT_MS));
}
