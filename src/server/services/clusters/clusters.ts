// Clusters in Settings: admins list, add, edit, test and remove them. Clusters defined in
// configuration are listed too, but change only there. Secrets are sealed before they are stored
// (services/secrets), never returned (PublicCluster says only whether each is set), and never
// written to the audit log.
import { randomUUID } from "node:crypto";
import type { Env } from "~/env";
import { usesSasl, usesTls } from "~/lib/clusters";
import { testConnection, type ClusterConnectionConfig, type ConnectionTestReport } from "~/server/broker";
import {
  connectOfRow,
  createCluster,
  deleteCluster,
  findClusterByName,
  findClusterWithSecrets,
  listClusterRows,
  listClusters,
  updateCluster,
  writeAudit,
  type Actor,
  type ClusterRow,
  type ClusterWrite,
  type PublicCluster,
} from "~/server/catalog";
import { AppError } from "~/server/errors";
import { keyringOf } from "~/server/services/secrets/keyring";
import { missingKeyError, open, seal } from "~/server/services/secrets/secret-box";
import { connectionOf } from "./active-cluster";
import type { ClusterRequest, TestClusterRequest, UpdateClusterRequest } from "./clusters.types";
import { testRegistry, type ExternalRegistry, type RegistryTestResult } from "~/server/registry/client";
import { certificateProblem, checkDefinition, connectListProblem, type ClusterDefinition, type RegistryAuth } from "./definition";


const SEALED_FIELDS = { saslPassword: "saslPasswordSealed", tlsKey: "tlsKeySealed", tlsKeyPassphrase: "tlsKeyPassphraseSealed", schemaRegistrySecret: "schemaRegistrySecretSealed" } as const;
type SecretField = keyof typeof SEALED_FIELDS;

/** Binds a ciphertext to its row and field (secret-box's associated data). */
const sealContext = (id: string, field: SecretField) => `Cluster.${id}.${field}`;

/** What is stored for a cluster, secrets opened: the base an edit or a test starts from. */
interface Stored {
  /** Where the stored password may be sent: the servers it was saved for. */
  bootstrapServers: string[];
  saslPassword: string | null;
  tlsCa: string | null;
  tlsCert: string | null;
  tlsKey: string | null;
  tlsKeyPassphrase: string | null;
  /** The external registry as stored: its URL (where its stored password or token may be sent), auth and CA. */
  schemaRegistryUrl: string | null;
  schemaRegistryAuth: RegistryAuth | null;
  schemaRegistryCa: string | null;
}

const NOTHING_STORED: Stored = { bootstrapServers: [], saslPassword: null, tlsCa: null, tlsCert: null, tlsKey: null, tlsKeyPassphrase: null, schemaRegistryUrl: null, schemaRegistryAuth: null, schemaRegistryCa: null };

function configuredDefinition(env: Env, name: string): ClusterDefinition | undefined {
  return env.clusters.find((c) => c.name === name);
}

function storedOf(env: Env, row: ClusterRow): Stored {
  if (row.source === "configuration") {
    const def = configuredDefinition(env, row.name);
    return {
      bootstrapServers: row.bootstrapServers,
      saslPassword: def?.sasl?.password ?? null,
      tlsCa: def?.tls?.ca ?? null,
      tlsCert: def?.tls?.cert ?? null,
      tlsKey: def?.tls?.key ?? null,
      tlsKeyPassphrase: def?.tls?.keyPassphrase ?? null,
      schemaRegistryUrl: def?.schemaRegistryUrl ?? null,
      schemaRegistryAuth: def?.schemaRegistryAuth ?? null,
      schemaRegistryCa: def?.schemaRegistryCa ?? null,
    };
  }
  const keyring = keyringOf(env);
  const opened = (field: SecretField) => {
    const sealed = row[SEALED_FIELDS[field]];
    return sealed === null ? null : open(sealed, keyring, sealContext(row.id, field));
  };
  const registrySecret = opened("schemaRegistrySecret");
  const schemaRegistryAuth: RegistryAuth | null =
    row.schemaRegistryAuthKind === "basic" && row.schemaRegistryUsername && registrySecret
      ? { kind: "basic", username: row.schemaRegistryUsername, password: registrySecret }
      : row.schemaRegistryAuthKind === "bearer" && registrySecret
        ? { kind: "bearer", token: registrySecret }
        : null;
  return {
    bootstrapServers: row.bootstrapServers,
    saslPassword: opened("saslPassword"),
    tlsCa: row.tlsCa,
    tlsCert: row.tlsCert,
    tlsKey: opened("tlsKey"),
    tlsKeyPassphrase: opened("tlsKeyPassphrase"),
    schemaRegistryUrl: row.schemaRegistryUrl,
    schemaRegistryAuth,
    schemaRegistryCa: row.schemaRegistryCa,
  };
}

/**
 * The external registry's credentials and CA from the form over what is stored. A stored password or
 * token goes only to the URL it was saved for, as the SASL password goes only to its servers.
 */
function registryFrom(input: ClusterRequest, stored: Stored, issue: (field: string, message: string) => void): Pick<ClusterDefinition, "schemaRegistryAuth" | "schemaRegistryCa"> {
  const url = input.schemaRegistryUrl ?? null;
  const kind = input.schemaRegistryAuth;
  if (!url) {
    if (kind !== "none" || input.schemaRegistryUsername || input.schemaRegistryPassword || input.schemaRegistryToken || input.schemaRegistryCa) {
      issue("schemaRegistryUrl", "required with registry credentials or a registry CA (blank: Signalbox's own registry, which needs neither)");
    }
    return { schemaRegistryAuth: null, schemaRegistryCa: null };
  }
  const sameUrl = url === stored.schemaRegistryUrl;
  const storedSecret = sameUrl && stored.schemaRegistryAuth?.kind === kind ? (kind === "basic" ? (stored.schemaRegistryAuth as { password: string }).password : (stored.schemaRegistryAuth as { token: string }).token) : null;
  const retype = stored.schemaRegistryAuth?.kind === kind && !sameUrl ? "type it again: the registry URL changed, and a stored secret is sent only to the URL it was saved for" : null;
  let auth: RegistryAuth | null = null;
  if (kind === "basic") {
    const password = input.schemaRegistryPassword ?? storedSecret;
    if (!input.schemaRegistryUsername) issue("schemaRegistryUsername", "required for HTTP Basic authentication");
    if (!password) issue("schemaRegistryPassword", retype ?? "required for HTTP Basic authentication");
    if (input.schemaRegistryToken) issue("schemaRegistryToken", "given, but the authentication is HTTP Basic (choose Bearer for a token)");
    if (input.schemaRegistryUsername && password) auth = { kind: "basic", username: input.schemaRegistryUsername, password };
  } else if (kind === "bearer") {
    const token = input.schemaRegistryToken ?? storedSecret;
    if (!token) issue("schemaRegistryToken", retype ?? "required for Bearer authentication");
    if (input.schemaRegistryUsername || input.schemaRegistryPassword) issue("schemaRegistryUsername", "given, but the authentication is Bearer (choose HTTP Basic for a username and password)");
    if (token) auth = { kind: "bearer", token };
  } else if (input.schemaRegistryUsername || input.schemaRegistryPassword || input.schemaRegistryToken) {
    issue("schemaRegistryAuth", "credentials given, but the authentication is none: choose HTTP Basic or Bearer");
  }
  const https = url.startsWith("https://");
  if (input.schemaRegistryCa && !https) issue("schemaRegistryCa", "given, but the registry URL is http://: a CA is used only with https://");
  const ca = https ? (input.schemaRegistryCa ?? (input.remove.includes("schemaRegistryCa") ? null : stored.schemaRegistryCa)) : null;
  if (ca) {
    const problem = certificateProblem(ca);
    if (problem) issue("schemaRegistryCa", problem);
  }
  return { schemaRegistryAuth: auth, schemaRegistryCa: ca };
}

/** The form's values over what is stored; every problem named by the form's field. */
function definitionFrom(input: ClusterRequest, stored: Stored): ClusterDefinition {
  const problems: string[] = [];
  const issue = (field: string, message: string) => problems.push(`${field}: ${message}`);
  let sasl: ClusterDefinition["sasl"] = null;
  if (usesSasl(input.securityProtocol)) {
    // A stored password goes only to the servers it was saved for: with PLAIN, a broker reads it in
    // the clear, so pointing a saved cluster elsewhere must not take its password along.
    const sameServers = [...input.bootstrapServers].sort().join(",") === [...stored.bootstrapServers].sort().join(",");
    const password = input.saslPassword ?? (sameServers ? stored.saslPassword : null);
    if (!input.saslMechanism) issue("saslMechanism", `required: ${input.securityProtocol} needs PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`);
    if (!input.saslUsername) issue("saslUsername", `required for ${input.securityProtocol}`);
    if (!password) issue("saslPassword", stored.saslPassword && !sameServers ? "type it again: the bootstrap servers changed, and a stored password is sent only to the servers it was saved for" : `required for ${input.securityProtocol}`);
    if (input.saslMechanism && input.saslUsername && password) sasl = { mechanism: input.saslMechanism, username: input.saslUsername, password };
  } else if (input.saslMechanism || input.saslUsername || input.saslPassword) {
    issue("saslMechanism", `given, but ${input.securityProtocol} does not use SASL (use SASL_PLAINTEXT or SASL_SSL)`);
  }

  let tls: ClusterDefinition["tls"] = null;
  if (usesTls(input.securityProtocol)) {
    const dropClient = input.remove.includes("tlsClientCertificate");
    const key = input.tlsKey ?? (dropClient ? null : stored.tlsKey);
    tls = {
      ca: input.tlsCa ?? (input.remove.includes("tlsCa") ? null : stored.tlsCa),
      cert: input.tlsCert ?? (dropClient ? null : stored.tlsCert),
      key,
      // A new key comes with its own passphrase (or none); the stored one belongs to the stored key.
      keyPassphrase: input.tlsKey ? input.tlsKeyPassphrase : (input.tlsKeyPassphrase ?? (dropClient ? null : stored.tlsKeyPassphrase)),
      verifyHostname: input.tlsVerifyHostname,
    };
  } else if (input.tlsCa || input.tlsCert || input.tlsKey) {
    // Only what the form gives is an error here; stored TLS material is simply dropped.
    tls = { ca: input.tlsCa, cert: input.tlsCert, key: input.tlsKey, keyPassphrase: null, verifyHostname: true };
  }
  const registry = registryFrom(input, stored, issue);
  const definition: ClusterDefinition = {
    name: input.name,
    bootstrapServers: input.bootstrapServers,
    securityProtocol: input.securityProtocol,
    sasl,
    tls,
    label: input.label ?? null,
    color: input.color ?? null,
    schemaRegistryUrl: input.schemaRegistryUrl ?? null,
    ...registry,
    // HTTP Basic credentials for Connect only in configuration, for now (docs/connect.md).
    connect: input.connect.map((c) => ({ name: c.name, url: c.url, basicAuth: null })),
    isDefault: false,
  };
  const FIELD: Record<string, string> = { "tls.ca": "tlsCa", "tls.cert": "tlsCert", "tls.key": "tlsKey", sasl: "saslMechanism", tls: "tlsCa" };
  checkDefinition(definition, (path, message) => {
    const field = FIELD[path.join(".")] ?? path.join(".");
    if (!problems.some((p) => p.startsWith(`${field}:`))) issue(field, message);
  });
  const connectProblem = connectListProblem(definition.connect);
  if (connectProblem) issue("connect", connectProblem);
  if (problems.length > 0) throw new AppError("BAD_REQUEST", `The cluster is not valid: ${problems.join("; ")}`);
  return definition;
}

/** The row to write: secrets sealed for `id`, or a clear error when no key is configured. */
function rowFrom(env: Env, id: string, def: ClusterDefinition): ClusterWrite {
  const registryAuth = def.schemaRegistryAuth;
  const secrets: Record<SecretField, string | null> = {
    saslPassword: def.sasl?.password ?? null,
    tlsKey: def.tls?.key ?? null,
    tlsKeyPassphrase: def.tls?.keyPassphrase ?? null,
    schemaRegistrySecret: registryAuth ? (registryAuth.kind === "basic" ? registryAuth.password : registryAuth.token) : null,
  };
  const keyring = keyringOf(env);
  if (!keyring.current && Object.values(secrets).some(Boolean)) throw missingKeyError();
  const sealed = (field: SecretField) => (secrets[field] ? seal(secrets[field], keyring, sealContext(id, field)) : null);
  return {
    name: def.name,
    source: "settings",
    bootstrapServers: def.bootstrapServers,
    securityProtocol: def.securityProtocol,
    saslMechanism: def.sasl?.mechanism ?? null,
    saslUsername: def.sasl?.username ?? null,
    saslPasswordSealed: sealed("saslPassword"),
    tlsCa: def.tls?.ca ?? null,
    tlsCert: def.tls?.cert ?? null,
    tlsKeySealed: sealed("tlsKey"),
    tlsKeyPassphraseSealed: sealed("tlsKeyPassphrase"),
    tlsVerifyHostname: def.tls?.verifyHostname ?? true,
    label: def.label,
    color: def.color,
    schemaRegistryUrl: def.schemaRegistryUrl,
    schemaRegistryAuthKind: registryAuth?.kind ?? null,
    schemaRegistryUsername: registryAuth?.kind === "basic" ? registryAuth.username : null,
    schemaRegistrySecretSealed: sealed("schemaRegistrySecret"),
    schemaRegistryCa: def.schemaRegistryCa,
    connect: def.connect.map((c) => ({ name: c.name, url: c.url })),
    isDefault: false,
  };
}

/** Configured clusters keep their secrets in the configuration, not the row: say what it sets. */
function withConfiguredSecrets(env: Env, cluster: PublicCluster): PublicCluster {
  if (cluster.source !== "configuration") return cluster;
  const def = configuredDefinition(env, cluster.name);
  return {
    ...cluster,
    hasPassword: Boolean(def?.sasl?.password),
    hasTlsKey: Boolean(def?.tls?.key),
    hasTlsKeyPassphrase: Boolean(def?.tls?.keyPassphrase),
    hasSchemaRegistrySecret: Boolean(def?.schemaRegistryAuth),
    // The configuration is the authority (the row may predate it).
    connect: def ? def.connect.map((c) => ({ name: c.name, url: c.url, basicAuth: c.basicAuth !== null })) : cluster.connect,
  };
}

export async function listClustersView(env: Env): Promise<PublicCluster[]> {
  return (await listClusters()).map((c) => withConfiguredSecrets(env, c));
}

function refuseConfigured(name: string): AppError {
  return new AppError("CONFLICT", `The cluster "${name}" is defined in configuration (SIGNALBOX_CLUSTERS_FILE, SIGNALBOX_CLUSTERS or KAFKA_BROKERS); change or remove it there.`);
}

async function refuseTakenName(env: Env, name: string, exceptId?: string): Promise<void> {
  if (configuredDefinition(env, name)) throw refuseConfigured(name);
  const existing = await findClusterByName(name);
  if (existing && existing.id !== exceptId) throw new AppError("CONFLICT", `A cluster named "${name}" already exists.`);
}

export async function addCluster(actor: Actor, env: Env, input: ClusterRequest): Promise<PublicCluster> {
  await refuseTakenName(env, input.name);
  const def = definitionFrom(input, NOTHING_STORED);
  const id = randomUUID();
  return createCluster(id, rowFrom(env, id, def), (row) => ({ actor, action: "cluster.create", targetType: "cluster", targetId: row.name, details: { ...row } }));
}

export async function editCluster(actor: Actor, env: Env, { id, cluster: input }: UpdateClusterRequest): Promise<PublicCluster> {
  const row = await findClusterWithSecrets(id);
  if (!row) throw new AppError("NOT_FOUND", `No cluster ${id}.`);
  if (row.source === "configuration") throw refuseConfigured(row.name);
  await refuseTakenName(env, input.name, id);
  const def = definitionFrom(input, storedOf(env, row));
  const write = rowFrom(env, id, def);
  const given: Record<SecretField, string | null> = {
    saslPassword: input.saslPassword,
    tlsKey: input.tlsKey,
    tlsKeyPassphrase: input.tlsKeyPassphrase,
    schemaRegistrySecret: input.schemaRegistryPassword ?? input.schemaRegistryToken,
  };
  const secretsChanged = (Object.keys(SEALED_FIELDS) as SecretField[]).filter((f) => given[f] !== null || (row[SEALED_FIELDS[f]] === null) !== (write[SEALED_FIELDS[f]] === null));
  const updated = await updateCluster(
    id,
    () => write,
    (before, after) => ({ actor, action: "cluster.update", targetType: "cluster", targetId: after.name, details: { before, after, secretsChanged } }),
  );
  if (!updated) throw new AppError("NOT_FOUND", `No cluster ${id}.`);
  return updated;
}

export async function removeCluster(actor: Actor, id: string): Promise<void> {
  const removed = await deleteCluster(
    id,
    (row) => {
      if (row.source === "configuration") throw refuseConfigured(row.name);
    },
    (row) => ({ actor, action: "cluster.delete", targetType: "cluster", targetId: row.name, details: { ...row } }),
  );
  if (!removed) throw new AppError("NOT_FOUND", `No cluster ${id}.`);
}

/** How Signalbox connects to a cluster of the catalog: configured ones from configuration, others with their secrets opened. */
export function connectionOfRow(env: Env, row: ClusterRow): ClusterConnectionConfig {
  const configured = row.source === "configuration" ? configuredDefinition(env, row.name) : undefined;
  if (configured) return connectionOf(configured, env);
  const stored = storedOf(env, row);
  const def: ClusterDefinition = {
    name: row.name,
    bootstrapServers: row.bootstrapServers,
    securityProtocol: row.securityProtocol as ClusterDefinition["securityProtocol"],
    sasl: row.saslMechanism && row.saslUsername && stored.saslPassword ? { mechanism: row.saslMechanism as "PLAIN", username: row.saslUsername, password: stored.saslPassword } : null,
    tls: usesTls(row.securityProtocol as ClusterDefinition["securityProtocol"])
      ? { ca: stored.tlsCa, cert: stored.tlsCert, key: stored.tlsKey, keyPassphrase: stored.tlsKeyPassphrase, verifyHostname: row.tlsVerifyHostname }
      : null,
    label: row.label,
    color: row.color,
    schemaRegistryUrl: row.schemaRegistryUrl,
    schemaRegistryAuth: stored.schemaRegistryAuth,
    schemaRegistryCa: stored.schemaRegistryCa,
    connect: connectOfRow(row).map((c) => ({ ...c, basicAuth: null })),
    isDefault: row.isDefault,
  };
  return connectionOf(def, env);
}

/**
 * How to reach every cluster Signalbox knows: configured ones, and those added in
 * Settings (their secrets opened). Before boot has mirrored the configuration into the catalog, the
 * configured ones still come from configuration.
 */
export async function allClusterConnections(env: Env): Promise<ClusterConnectionConfig[]> {
  const rows = await listClusterRows();
  const fromRows = rows.map((row) => connectionOfRow(env, row));
  const missing = env.clusters.filter((def) => !rows.some((row) => row.name === def.name)).map((def) => connectionOf(def, env));
  return [...fromRows, ...missing];
}

/** How to reach the cluster named `name`, or null when Signalbox knows no such cluster. */
export async function clusterConnectionByName(env: Env, name: string): Promise<ClusterConnectionConfig | null> {
  const configured = configuredDefinition(env, name);
  if (configured) return connectionOf(configured, env);
  const row = await findClusterByName(name);
  return row ? connectionOfRow(env, row) : null;
}

/** The Kafka Connect clusters of the Kafka cluster `name`: from configuration, or as added in Settings (without credentials). */
export async function connectDefinitionsOf(env: Env, name: string): Promise<ClusterDefinition["connect"]> {
  const configured = configuredDefinition(env, name);
  if (configured) return configured.connect;
  const row = await findClusterByName(name);
  return row ? connectOfRow(row).map((c) => ({ ...c, basicAuth: null })) : [];
}

/**
 * The external schema registry of the Kafka cluster `name` (URL, credentials, CA), or null when it uses
 * Signalbox's own: from configuration, or as added in Settings (its password or token opened).
 */
export async function schemaRegistryOf(env: Env, name: string): Promise<ExternalRegistry | null> {
  const configured = configuredDefinition(env, name);
  if (configured) return configured.schemaRegistryUrl ? { cluster: name, url: configured.schemaRegistryUrl, auth: configured.schemaRegistryAuth, ca: configured.schemaRegistryCa } : null;
  const row = await findClusterByName(name);
  if (!row?.schemaRegistryUrl) return null;
  const stored = storedOf(env, row);
  return { cluster: name, url: row.schemaRegistryUrl, auth: stored.schemaRegistryAuth, ca: stored.schemaRegistryCa };
}

/** A connection test: Kafka's layers, then the external registry when the cluster names one. */
export interface ClusterTestReport extends ConnectionTestReport {
  /** Null when the cluster uses Signalbox's own registry. `ok` is false when either failed. */
  registry: RegistryTestResult | null;
}

/**
 * Tests a saved cluster as stored, or the form's values before they are saved (blank secrets taken
 * from the saved cluster). Audited, without secrets: it makes the server connect where an admin says.
 */
export async function testCluster(actor: Actor, env: Env, request: TestClusterRequest): Promise<ClusterTestReport> {
  const row = request.id ? await findClusterWithSecrets(request.id) : null;
  if (request.id && !row) throw new AppError("NOT_FOUND", `No cluster ${request.id}.`);
  let connection: ClusterConnectionConfig;
  let registry: ExternalRegistry | null;
  if (request.cluster) {
    const def = definitionFrom(request.cluster, row ? storedOf(env, row) : NOTHING_STORED);
    connection = connectionOf(def, env);
    registry = def.schemaRegistryUrl ? { cluster: def.name, url: def.schemaRegistryUrl, auth: def.schemaRegistryAuth, ca: def.schemaRegistryCa } : null;
  } else {
    connection = connectionOfRow(env, row!);
    registry = await schemaRegistryOf(env, row!.name);
  }
  const [kafka, registryResult] = await Promise.all([testConnection(connection), registry ? testRegistry(registry) : Promise.resolve(null)]);
  const report: ClusterTestReport = { ...kafka, ok: kafka.ok && (registryResult?.ok ?? true), registry: registryResult };
  await writeAudit({
    actor,
    action: "cluster.test",
    targetType: "cluster",
    targetId: connection.name,
    details: {
      bootstrapServers: connection.brokers,
      saved: Boolean(row),
      ok: report.ok,
      failedStep: kafka.failure?.step ?? null,
      category: kafka.failure?.category ?? null,
      ...(registryResult ? { registry: { url: registryResult.url, ok: registryResult.ok, failure: registryResult.failure } } : {}),
    },
  });
  return report;
}
