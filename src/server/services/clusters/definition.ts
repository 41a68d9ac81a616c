// A cluster's definition: how Signalbox reaches it (bootstrap servers, security protocol, SASL, TLS)
// and how it is shown (label, color, schema registry). Definitions come from configuration (a YAML
// or JSON document in SIGNALBOX_CLUSTERS_FILE or SIGNALBOX_CLUSTERS, and the older KAFKA_* variables)
// and from Settings; the field rules here serve both, so a cluster valid in one is valid in the other.
import { createPrivateKey, X509Certificate } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { z } from "zod";
import { CLUSTER_NAME_PATTERN, SASL_MECHANISMS, SECURITY_PROTOCOLS, usesSasl, usesTls, type SaslMechanism, type SecurityProtocol } from "~/lib/clusters";

export interface ClusterTlsMaterial {
  /** PEM bundle of the CAs to trust; null: Node.js's own list of public CAs. */
  ca: string | null;
  /** PEM client certificate and its private key, for mutual TLS. */
  cert: string | null;
  key: string | null;
  keyPassphrase: string | null;
  /** false: the certificate chain is still verified, the host name in it is not. */
  verifyHostname: boolean;
}

export interface ClusterDefinition {
  name: string;
  bootstrapServers: string[];
  securityProtocol: SecurityProtocol;
  sasl: { mechanism: SaslMechanism; username: string; password: string } | null;
  /** Null when the protocol does not use TLS. */
  tls: ClusterTlsMaterial | null;
  label: string | null;
  color: string | null;
  /** An external schema registry's URL (Confluent-compatible REST API); null: Signalbox's own registry. */
  schemaRegistryUrl: string | null;
  /** How Signalbox authenticates to the external registry; null: no credentials. Secrets. */
  schemaRegistryAuth: RegistryAuth | null;
  /** PEM bundle of the CAs the external registry's certificate chains to; null: the public CAs. */
  schemaRegistryCa: string | null;
  /** The Kafka Connect clusters that work against this Kafka cluster (docs/connect.md); often none. */
  connect: ConnectDefinition[];
  isDefault: boolean;
}

/** HTTP Basic (Confluent's basic.auth.user.info) or a Bearer token, to an external schema registry. */
export type RegistryAuth = { kind: "basic"; username: string; password: string } | { kind: "bearer"; token: string };

/** One Kafka Connect cluster, reached through the REST API of any of its workers. */
export interface ConnectDefinition {
  /** Names it on pages and in URLs, unique within its Kafka cluster. */
  name: string;
  /** The REST base URL, e.g. http://connect-1:8083 (no credentials in it). */
  url: string;
  /** HTTP Basic authentication, when the REST API asks for it. The password is a secret. */
  basicAuth: { username: string; password: string } | null;
}

// ------------------------------------------------------------------ field rules, shared with Settings

export const clusterNameSchema = z
  .string({ error: "required: the cluster's name" })
  .trim()
  .regex(CLUSTER_NAME_PATTERN, { error: "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit (it becomes part of URLs)" });

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]/,]+):(\d{1,5})$/;

export const bootstrapServersSchema = z
  .union([z.string(), z.array(z.string())], { error: "required: host:port of at least one broker, e.g. kafka-1.example.com:9093" })
  .transform((value) => (Array.isArray(value) ? value : value.split(",")).map((s) => s.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.string().refine((s) => HOST_PORT.test(s) && Number(s.match(HOST_PORT)![2]) >= 1 && Number(s.match(HOST_PORT)![2]) <= 65535, { error: (i) => `"${String(i.input)}" is not host:port (port 1-65535)` }))
      .min(1, { error: "at least one host:port is required" })
      .max(50),
  );

export const securityProtocolSchema = z.preprocess((v) => (typeof v === "string" ? v.trim().toUpperCase() : v), z.enum(SECURITY_PROTOCOLS, { error: `must be one of ${SECURITY_PROTOCOLS.join(", ")}` }));
export const saslMechanismSchema = z.preprocess((v) => (typeof v === "string" ? v.trim().toUpperCase() : v), z.enum(SASL_MECHANISMS, { error: `must be one of ${SASL_MECHANISMS.join(", ")}` }));
export const labelSchema = z.string().trim().min(1).max(40, { error: "at most 40 characters, e.g. prod or eu-west-1" });
export const colorSchema = z.string().trim().regex(/^#[0-9A-Fa-f]{6}$/, { error: "must be a color as #rrggbb, e.g. #d9480f" });
export const schemaRegistryUrlSchema = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL, e.g. https://registry.example.com or http://apicurio:8080/apis/ccompat/v7" })
  .max(2000)
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), { error: "must not hold credentials: give username and password, or token, instead" })
  .transform((u) => u.replace(/\/+$/, ""));
const secretText = z.string().min(1).max(1_000);
export const connectNameSchema = clusterNameSchema;
export const connectUrlSchema = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL, e.g. http://connect-1:8083" })
  .max(2000)
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), { error: "must not hold credentials: give username and password instead" })
  .transform((u) => u.replace(/\/+$/, ""));

/** Why a list of Connect clusters cannot be used (names must differ), or null. */
export function connectListProblem(list: { name: string }[]): string | null {
  const seen = new Set<string>();
  for (const c of list) {
    if (seen.has(c.name)) return `the Connect cluster "${c.name}" is named twice`;
    seen.add(c.name);
  }
  return list.length > 20 ? "at most 20 Connect clusters per Kafka cluster" : null;
}

/** Why a PEM certificate bundle cannot be used, or null. */
export function certificateProblem(pem: string): string | null {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks) return "is not a PEM certificate (-----BEGIN CERTIFICATE-----)";
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (error) {
      return `holds a certificate that does not parse (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  return null;
}

/** Why a PEM private key (with its passphrase, if any) cannot be used, or null. Never quotes the key. */
export function privateKeyProblem(pem: string, passphrase: string | null): string | null {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) return "is not a PEM private key (-----BEGIN PRIVATE KEY-----)";
  try {
    createPrivateKey({ key: pem, format: "pem", passphrase: passphrase ?? undefined });
    return null;
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (/BAD_DECRYPT|PASSPHRASE|INTERRUPTED_OR_CANCELLED/i.test(`${code} ${(error as Error).message}`)) {
      return passphrase ? "does not open with the key passphrase given" : "is encrypted: give its passphrase";
    }
    return "does not parse as a private key";
  }
}

/** Whether a client certificate and a private key belong together. */
export function keyMatchesCertificate(certPem: string, keyPem: string, passphrase: string | null): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey({ key: keyPem, format: "pem", passphrase: passphrase ?? undefined }));
  } catch {
    return false;
  }
}

type Issue = (path: (string | number)[], message: string) => void;

/**
 * The checks across fields: SASL exactly when the protocol uses it, TLS material only with TLS, a
 * client certificate with its key, and PEM that parses. Used by configuration and Settings alike.
 */
export function checkDefinition(def: ClusterDefinition, issue: Issue): void {
  if (usesSasl(def.securityProtocol) && !def.sasl) issue(["sasl"], `required: ${def.securityProtocol} needs a SASL mechanism, username and password`);
  if (!usesSasl(def.securityProtocol) && def.sasl) issue(["sasl"], `given, but ${def.securityProtocol} does not use SASL (use SASL_PLAINTEXT or SASL_SSL)`);
  const tls = def.tls;
  if (!tls) return;
  if (!usesTls(def.securityProtocol) && (tls.ca || tls.cert || tls.key)) {
    issue(["tls"], `given, but ${def.securityProtocol} does not use TLS (use SSL or SASL_SSL)`);
    return;
  }
  if (tls.ca) {
    const problem = certificateProblem(tls.ca);
    if (problem) issue(["tls", "ca"], problem);
  }
  if (tls.cert && !tls.key) issue(["tls", "key"], "required with a client certificate (mutual TLS needs both)");
  if (tls.key && !tls.cert) issue(["tls", "cert"], "required with a client key (mutual TLS needs both)");
  if (tls.cert) {
    const problem = certificateProblem(tls.cert);
    if (problem) issue(["tls", "cert"], problem);
  }
  if (tls.key) {
    const problem = privateKeyProblem(tls.key, tls.keyPassphrase);
    if (problem) issue(["tls", "key"], problem);
    else if (tls.cert && !certificateProblem(tls.cert) && !keyMatchesCertificate(tls.cert, tls.key, tls.keyPassphrase)) issue(["tls", "key"], "does not belong to the client certificate");
  }
}

// ------------------------------------------------------------------ the configuration document

/** Inline value, a file holding it, or an environment variable holding it: at most one of the three. */
function sourced(field: string, options: { env: boolean }) {
  const keys = [field, `${field}File`, ...(options.env ? [`${field}Env`] : [])];
  return { keys, shape: Object.fromEntries(keys.map((k) => [k, z.string().min(1).max(64_000).optional()])) as Record<string, z.ZodOptional<z.ZodString>> };
}

const password = sourced("password", { env: true });
const keyPassword = sourced("keyPassword", { env: true });
const ca = sourced("ca", { env: false });
const cert = sourced("cert", { env: false });
const key = sourced("key", { env: false });
const token = sourced("token", { env: true });

const configuredClusterSchema = z.strictObject({
  name: clusterNameSchema,
  bootstrapServers: bootstrapServersSchema,
  securityProtocol: securityProtocolSchema.default("PLAINTEXT"),
  sasl: z.strictObject({ mechanism: saslMechanismSchema, username: z.string().trim().min(1).max(256), ...password.shape }).optional(),
  tls: z.strictObject({ ...ca.shape, ...cert.shape, ...key.shape, ...keyPassword.shape, verifyHostname: z.boolean().default(true) }).optional(),
  label: labelSchema.optional(),
  color: colorSchema.optional(),
  connect: z
    .array(z.strictObject({ name: connectNameSchema, url: connectUrlSchema, username: z.string().trim().min(1).max(256).optional(), ...password.shape }))
    .max(20)
    .optional(),
  schemaRegistry: z
    .union([z.literal("signalbox"), z.strictObject({ url: schemaRegistryUrlSchema, username: z.string().trim().min(1).max(256).optional(), ...password.shape, ...token.shape, ...ca.shape })], {
      error: 'must be "signalbox" (the registry built in) or { url: https://…, with username and password or token, and caFile if its CA is private }',
    })
    .optional(),
  default: z.boolean().optional(),
});

// A bare list, or an object with a `clusters` list; chosen by shape first, so each entry's own
// problems are reported rather than "matches neither".
const listSchema = z.array(configuredClusterSchema);
const objectSchema = z.strictObject({ clusters: listSchema }, { error: "must be a list of clusters, or an object with a `clusters` list" });

type ConfiguredCluster = z.infer<typeof configuredClusterSchema>;

export interface DocumentContext {
  /** Relative file names in the document are read relative to this folder. */
  baseDir: string;
  env: Record<string, string | undefined>;
}

/**
 * Parses a YAML or JSON clusters document (JSON is YAML) and resolves the files and variables it
 * names. Every problem is reported through `issue` with its path, e.g. clusters.1.tls.caFile.
 */
export function parseClustersDocument(text: string, context: DocumentContext, issue: Issue): ClusterDefinition[] {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (error) {
    issue([], `is not valid YAML or JSON: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    return [];
  }
  const parsed = Array.isArray(raw) ? listSchema.safeParse(raw) : objectSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) issue(i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), i.message);
    return [];
  }
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.clusters;
  const prefix: (string | number)[] = Array.isArray(parsed.data) ? [] : ["clusters"];
  const definitions = list.map((entry, index) => resolveEntry(entry, context, (p, m) => issue([...prefix, index, ...p], m)));
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    if (seen.has(entry.name)) issue([...prefix, index, "name"], `"${entry.name}" is defined twice`);
    seen.add(entry.name);
  });
  if (list.filter((e) => e.default).length > 1) issue([...prefix], "more than one cluster says default: true");
  return definitions;
}

function resolveEntry(entry: ConfiguredCluster, context: DocumentContext, issue: Issue): ClusterDefinition {
  const read = (where: string[], block: Record<string, unknown> | undefined, keys: string[]): string | null => {
    if (!block) return null;
    const given = keys.filter((k) => typeof block[k] === "string");
    if (given.length > 1) {
      issue([...where, given[1]!], `give only one of ${given.join(", ")}`);
      return null;
    }
    const k = given[0];
    if (!k) return null;
    const value = block[k] as string;
    if (k.endsWith("File")) {
      const file = path.resolve(context.baseDir, value);
      try {
        return fs.readFileSync(file, "utf8");
      } catch (error) {
        issue([...where, k], `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        return null;
      }
    }
    if (k.endsWith("Env")) {
      const fromEnv = context.env[value];
      if (!fromEnv) issue([...where, k], `names ${value}, which is not set`);
      return fromEnv || null;
    }
    return value;
  };

  let sasl: ClusterDefinition["sasl"] = null;
  if (entry.sasl) {
    const block: Record<string, unknown> = entry.sasl;
    const secret = read(["sasl"], block, password.keys);
    if (secret === null && password.keys.every((k) => block[k] === undefined)) issue(["sasl", "password"], "required: give password, passwordFile or passwordEnv");
    const checked = secret === null ? null : secretText.safeParse(secret.replace(/\r?\n$/, ""));
    if (checked && !checked.success) issue(["sasl", "password"], "must be 1-1000 characters");
    sasl = { mechanism: entry.sasl.mechanism, username: entry.sasl.username, password: checked?.success ? checked.data : "" };
  }
  let tls: ClusterTlsMaterial | null = null;
  if (usesTls(entry.securityProtocol) || entry.tls) {
    const block = entry.tls;
    const passphrase = read(["tls"], block, keyPassword.keys);
    tls = {
      ca: read(["tls"], block, ca.keys),
      cert: read(["tls"], block, cert.keys),
      key: read(["tls"], block, key.keys),
      keyPassphrase: passphrase === null ? null : passphrase.replace(/\r?\n$/, ""),
      verifyHostname: block?.verifyHostname ?? true,
    };
  }
  const connect: ConnectDefinition[] = (entry.connect ?? []).map((c, index) => {
    const block: Record<string, unknown> = c;
    const secret = read(["connect", String(index)], block, password.keys);
    if (secret !== null && !c.username) issue(["connect", index, "username"], "required with a password (HTTP Basic authentication)");
    if (c.username && secret === null && password.keys.every((k) => block[k] === undefined)) issue(["connect", index, "password"], "required with a username: give password, passwordFile or passwordEnv");
    return { name: c.name, url: c.url, basicAuth: c.username && secret ? { username: c.username, password: secret.replace(/\r?\n$/, "") } : null };
  });
  let schemaRegistryAuth: RegistryAuth | null = null;
  let schemaRegistryCa: string | null = null;
  if (typeof entry.schemaRegistry === "object") {
    const block: Record<string, unknown> = entry.schemaRegistry;
    const secret = read(["schemaRegistry"], block, password.keys);
    const bearer = read(["schemaRegistry"], block, token.keys);
    const username = entry.schemaRegistry.username;
    if (bearer !== null && (secret !== null || username)) issue(["schemaRegistry", "token"], "give either username and password (HTTP Basic) or a token (Bearer), not both");
    else if (bearer !== null) schemaRegistryAuth = { kind: "bearer", token: bearer.replace(/\r?\n$/, "") };
    else if (secret !== null && !username) issue(["schemaRegistry", "username"], "required with a password (HTTP Basic authentication)");
    else if (username && secret === null && password.keys.every((k) => block[k] === undefined)) issue(["schemaRegistry", "password"], "required with a username: give password, passwordFile or passwordEnv");
    else if (username && secret !== null) schemaRegistryAuth = { kind: "basic", username, password: secret.replace(/\r?\n$/, "") };
    schemaRegistryCa = read(["schemaRegistry"], block, ca.keys);
    if (schemaRegistryCa) {
      const problem = certificateProblem(schemaRegistryCa);
      if (problem) issue(["schemaRegistry", "ca"], problem);
    }
  }
  const listProblem = connectListProblem(connect);
  if (listProblem) issue(["connect"], listProblem);
  const definition: ClusterDefinition = {
    name: entry.name,
    bootstrapServers: entry.bootstrapServers,
    securityProtocol: entry.securityProtocol,
    sasl,
    tls,
    label: entry.label ?? null,
    color: entry.color ?? null,
    schemaRegistryUrl: typeof entry.schemaRegistry === "object" ? entry.schemaRegistry.url : null,
    schemaRegistryAuth,
    schemaRegistryCa,
    connect,
    isDefault: entry.default ?? false,
  };
  checkDefinition(definition, issue);
  return definition;
}

/** A definition as it may appear in a log line: which secrets are set, never what they are. */
export function redactDefinition(def: ClusterDefinition) {
  return {
    name: def.name,
    bootstrapServers: def.bootstrapServers,
    securityProtocol: def.securityProtocol,
    sasl: def.sasl ? { mechanism: def.sasl.mechanism, username: def.sasl.username, password: "[redacted]" } : null,
    tls: def.tls ? { ca: Boolean(def.tls.ca), cert: Boolean(def.tls.cert), key: def.tls.key ? "[redacted]" : null, verifyHostname: def.tls.verifyHostname } : null,
    label: def.label,
    schemaRegistry: def.schemaRegistryUrl
      ? { url: def.schemaRegistryUrl, auth: def.schemaRegistryAuth ? (def.schemaRegistryAuth.kind === "basic" ? { kind: "basic", username: def.schemaRegistryAuth.username, password: "[redacted]" } : { kind: "bearer", token: "[redacted]" }) : null, ca: Boolean(def.schemaRegistryCa) }
      : "signalbox",
    connect: def.connect.map((c) => ({ name: c.name, url: c.url, basicAuth: c.basicAuth ? { username: c.basicAuth.username, password: "[redacted]" } : null })),
    isDefault: def.isDefault,
  };
}
