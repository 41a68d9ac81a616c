// One zod schema for all of Signalbox's configuration. Every process (web, worker, demo, scripts)
// calls getEnv() at start, so a missing or invalid variable stops it with a message that names it.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_DEMO_PASSWORD } from "./demo/accounts";
import { isAllowlistEntry } from "./lib/allowlist-entry";
import { outboxMonitorsSchema, type OutboxMonitorConfig } from "./lib/outbox-config";
import { checkOidcEnv, oidcEnvShape } from "./server/services/auth/oidc-config";
import { connectListProblem, connectNameSchema, connectUrlSchema, parseClustersDocument, redactDefinition, type ClusterDefinition, type ConnectDefinition } from "./server/services/clusters/definition";
import { maskingPoliciesSchema } from "./server/services/masking/policies";
import { parseSecretKey } from "./server/services/secrets/secret-box";

const brokerList = z
  .string({ error: "required: a comma-separated list of host:port, e.g. 127.0.0.1:19092" })
  .transform((value) => value.split(",").map((b) => b.trim()).filter(Boolean))
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, { error: "each broker must be host:port" }))
      .min(1, { error: "at least one host:port is required" }),
  );

const bool = z
  .enum(["true", "false", "1", "0", ""], { error: "must be true or false" })
  .transform((v) => v === "true" || v === "1");

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const envObject = z.object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z
      .string({ error: "required: a PostgreSQL URL, e.g. postgresql://postgres@127.0.0.1:5432/signalbox" })
      .regex(/^postgres(ql)?:\/\//, { error: "must start with postgresql://" }),

    // The default cluster, as before issue 18. Optional when SIGNALBOX_CLUSTERS_FILE or
    // SIGNALBOX_CLUSTERS names the clusters (docs/clusters.md); then one of those is the default.
    KAFKA_BROKERS: brokerList.optional(),
    KAFKA_CLUSTER_NAME: z.string().min(1).default("local"),
    KAFKA_CLIENT_ID: z.string().min(1).default("signalbox"),
    KAFKA_SSL: bool.default(false),
    KAFKA_SASL_MECHANISM: z.enum(["plain", "scram-sha-256", "scram-sha-512"]).optional(),
    KAFKA_SASL_USERNAME: z.string().optional(),
    KAFKA_SASL_PASSWORD: z.string().optional(),
    KAFKA_CONNECTION_TIMEOUT_MS: positiveInt(3000),
    /**
     * The KAFKA_BROKERS cluster's Kafka Connect REST URLs, comma-separated, each `name=url` or a bare
     * URL (named "connect"), e.g. `main=http://127.0.0.1:8083`. With Basic auth, use the clusters document.
     */
    KAFKA_CONNECT_URLS: z.string().max(20_000).optional(),
    /** How long one Kafka Connect REST call may take before it counts as unreachable. */
    CONNECT_REQUEST_TIMEOUT_MS: positiveInt(10_000),
    /** Transactional outbox tables to watch: a JSON list (src/lib/outbox-config.ts, docs/outbox.md). */
    OUTBOX_MONITORS: outboxMonitorsSchema.default([]),
    /** A YAML or JSON file of clusters (docs/clusters.md); relative file names in it are read relative to it. */
    SIGNALBOX_CLUSTERS_FILE: z.string().min(1).optional(),
    /** The same document in the variable itself (relative file names: from the working directory). */
    SIGNALBOX_CLUSTERS: z.string().min(1).optional(),
    /**
     * Seals the secrets stored in the catalog (SASL passwords, TLS keys of clusters added in Settings):
     * 32 random bytes in base64, `openssl rand -base64 32`. Without it Settings refuses to store a secret.
     */
    SIGNALBOX_SECRET_KEY: z.string().refine(isSecretKey, { error: (i) => secretKeyProblem(String(i.input)) }).optional(),
    /** Comma-separated keys that sealed secrets before SIGNALBOX_SECRET_KEY did (rotation: docs/clusters.md). */
    SIGNALBOX_SECRET_KEYS_PREVIOUS: z
      .string()
      .transform((value) => value.split(",").map((k) => k.trim()).filter(Boolean))
      .pipe(z.array(z.string().refine(isSecretKey, { error: (i) => `each key ${secretKeyProblem(String(i.input))}` })))
      .optional(),

    // Sign-in and access (see docs/security.md). "none" turns sign-in off for local development:
    // every request then acts as a local admin, every page shows a red banner, and the web server
    // refuses to start unless it listens on loopback only.
    SIGNALBOX_AUTH: z.enum(["required", "none"]).default("required"),
    /** A session ends after this long without a request, and in any case after SESSION_MAX_HOURS. */
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(480),
    SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(90 * 24).default(168),
    /** Failed local sign-ins before the account locks, and for how long. Each failure also slows the next answer. */
    SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
    SIGNIN_LOCK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    /** Host names (without port) this server answers to; anything else gets 421 (DNS rebinding). Comma-separated, "*" allows all. */
    ALLOWED_HOSTS: z.string().default("localhost,127.0.0.1,[::1]"),
    /**
     * A server secret of at least 32 characters; it seals the short-lived single sign-on transaction
     * cookie. Required when OIDC_ISSUER_URL is set. Generate one with `openssl rand -base64 48`.
     */
    SIGNALBOX_SECRET: z.string().min(32, { error: "must be at least 32 characters (openssl rand -base64 48)" }).optional(),
    /** The URL people use to reach Signalbox, e.g. https://signalbox.example.com; the OIDC redirect URI is built from it. Default: the request's own origin. */
    SIGNALBOX_PUBLIC_URL: z.url().optional(),
    // Single sign-on with OpenID Connect (docs/oidc.md).
    ...oidcEnvShape,
    /** /metrics and /api/topology.json without a token (for a Prometheus that cannot send one). */
    METRICS_PUBLIC: bool.default(false),
    /** A first admin created by `npm run db:seed` when both are set (an installation without an identity provider). */
    SIGNALBOX_ADMIN_EMAIL: z.email().optional(),
    SIGNALBOX_ADMIN_PASSWORD: z.string().min(12, { error: "must be at least 12 characters" }).max(200).optional(),
    /** Seeds one local account per role (`npm run demo` and the end-to-end tests turn this on). */
    SIGNALBOX_SEED_DEMO_ACCOUNTS: bool.default(false),
    /** The password of those demo accounts. */
    SIGNALBOX_DEMO_PASSWORD: z.string().min(8).max(200).default(DEFAULT_DEMO_PASSWORD),
    // Payload masking (docs/security.md, "Payload masking"): a JSON array of policies such as
    // [{"name":"card numbers","topics":"payments*","paths":["data.card.number","data.items[*].cvv"],"visibleTo":["support"]}].
    // Each hides the fields at `paths` of the topics its glob matches from every role not in
    // `visibleTo` (admin always sees them). Parsed here so a bad policy stops the process, named.
    MASKING_POLICIES: maskingPoliciesSchema,
    // Request limits: bodies are counted while they are read, so a chunked body cannot slip past.
    API_MAX_BODY_BYTES: positiveInt(1024 * 1024),
    TRPC_MAX_BATCH: z.coerce.number().int().min(1).max(100).default(20),

    PORT: positiveInt(3000),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    HEALTH_PROBE_INTERVAL_MS: positiveInt(3000),
    SAMPLER_INTERVAL_MS: positiveInt(5000),
    /** Group membership and topic metadata change rarely; they are re-read this often. */
    SAMPLER_METADATA_INTERVAL_MS: positiveInt(30000),
    /** Samples in the sliding window of the status evaluation (Burrow's window). */
    SAMPLER_STATUS_WINDOW: z.coerce.number().int().min(3).max(100).default(10),
    SAMPLER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
    // How long lag and throughput history is kept (docs/monitoring.md, "History"). Raw rows feed
    // the charts up to an hour; the minute rollup of the last 5 minutes reads them, hence the minimum.
    HISTORY_RAW_RETENTION_MS: z.coerce.number().int().min(10 * 60_000).default(65 * 60_000),
    HISTORY_ROLLUP_RETENTION_MS: z.coerce.number().int().min(10 * 60_000).default(7 * 24 * 3_600_000),
    WORKER_HEARTBEAT_MS: positiveInt(5000),
    WORKER_STALE_AFTER_MS: positiveInt(20000),
    /** The worker re-reads the cluster list this often: clusters added or removed in Settings start or stop their loops. */
    CLUSTERS_REFRESH_MS: positiveInt(30000),

    // Topology (see README, "Topology"): producers are inferred from recent messages.
    /** A header naming the producing service, checked before the envelope's `source`. */
    TOPOLOGY_PRODUCER_HEADER: z.string().min(1).max(200).optional(),
    /** A producer counts as active when one of its messages was seen this recently. */
    TOPOLOGY_PRODUCER_RECENT_MS: positiveInt(15 * 60_000),
    TOPOLOGY_PRODUCER_SAMPLE_INTERVAL_MS: positiveInt(60_000),
    /** Newest records read per partition in each pass. */
    TOPOLOGY_PRODUCER_SAMPLE_SIZE: z.coerce.number().int().min(1).max(500).default(20),
    /** Comma-separated globs naming dead-letter topics. */
    DLQ_TOPIC_PATTERNS: z.string().optional(),
    /** A record already redriven this many times goes to the DLQ's parking-lot topic instead. */
    DLQ_REDRIVE_ATTEMPT_CAP: z.coerce.number().int().min(1).max(1000).default(3),
    /** How often the worker's flow monitor reads the event topics (services/flows/monitor.ts). */
    FLOW_MONITOR_INTERVAL_MS: positiveInt(2000),
    /** Where the flow monitor starts on a topic it has never read: this long ago. */
    FLOW_BACKFILL_MS: positiveInt(15 * 60_000),
    /** How long flow history (minute buckets, finished instances, topic integrity counts) is kept. */
    FLOW_HISTORY_RETENTION_MS: positiveInt(24 * 3600_000),
    /** How often the worker reads new DLQ records into the DLQ index. */
    DLQ_INDEX_INTERVAL_MS: positiveInt(5000),
    /** How long an action that needs the whole DLQ index waits for the worker to finish reading it. */
    DLQ_INDEX_WAIT_MS: positiveInt(30_000),
    // Durable jobs (replay, DLQ redrive): how many run at once per worker, and how often the worker
    // looks for jobs whose runner died, to deliver them again.
    JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
    JOBS_REAP_INTERVAL_MS: positiveInt(5000),
    /** How long a job interrupted by Kafka or the database being away waits before it resumes. */
    JOBS_RETRY_AFTER_MS: positiveInt(10_000),

    /**
     * Alert webhooks may only reach public addresses (the worker calls them from inside the
     * network, so anything else is SSRF). This comma-separated list names the exceptions: host
     * names (allowed whatever they resolve to), IP addresses or CIDR ranges, e.g.
     * `hooks.internal,10.20.0.0/16,fd12::/16`. Empty by default: nothing internal is allowed.
     */
    WEBHOOK_ALLOWED_HOSTS: z
      .string()
      .default("")
      .transform((value) => value.split(",").map((h) => h.trim()).filter(Boolean))
      .pipe(z.array(z.string().refine(isAllowlistEntry, { error: "each entry must be a host name, an IP address or a CIDR range such as 10.0.0.0/8" }))),

    DEMO_ORDERS_PER_SEC: z.coerce.number().positive().max(1000).default(5),
    DEMO_PAYMENT_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0.08),
    DEMO_PAYMENT_DECLINE_RATE: z.coerce.number().min(0).max(1).default(0.1),
    DEMO_NOTIFICATION_DELAY_MS: z.coerce.number().int().min(0).default(250),
    /** The order saga's compensations: the share of paid orders whose stock cannot be reserved (refund, then cancel). */
    DEMO_STOCK_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0.05),
    /** Share of paid orders inventory-service silently drops (a consumer bug): their sagas get stuck, for the Flows page. */
    DEMO_STOCK_STALL_RATE: z.coerce.number().min(0).max(1).default(0.01),
    /** At-least-once delivery made visible: the share of OrderPlaced events the outbox relay delivers twice. */
    DEMO_DUPLICATE_RATE: z.coerce.number().min(0).max(1).default(0.02),
    /** order-service's own database (orders and the transactional outbox). Unset: it publishes directly, with no outbox. */
    DEMO_SHOP_DATABASE_URL: z.string().url().optional(),

    // Schema catalog: how often the worker samples bound topics for conformance, how many of the
    // newest messages per topic, and the share of OrderPlaced events the demo sends broken.
    CONFORMANCE_INTERVAL_MS: positiveInt(60000),
    CONFORMANCE_SAMPLE_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
    DEMO_NONCONFORMING_RATE: z.coerce.number().min(0).max(1).default(0.03),

    // Limits (issue 14, "one request must not take Signalbox down"). Every refusal names its
    // variable, so an operator knows what to raise. Counters and rate buckets live in each web
    // process's memory: with several web processes, each one enforces them on its own.
    /** A message-browser page or a trace stops after reading this many records and says where it got to. */
    SCAN_MAX_RECORDS: z.coerce.number().int().min(1).max(100_000_000).default(200_000),
    /** …or after this long, whichever comes first. */
    SCAN_MAX_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
    /** Topics one trace may search (all non-internal topics are searched when none are named). */
    TRACE_MAX_TOPICS: z.coerce.number().int().min(1).max(10_000).default(50),
    /** The longest time window one trace may search. */
    TRACE_MAX_WINDOW_MS: positiveInt(7 * 24 * 3_600_000),
    /** Scans, traces, replay dry runs and live tails one user may have open at once. */
    MAX_CONCURRENT_SCANS_PER_USER: z.coerce.number().int().min(1).max(1000).default(4),
    /** Replay and redrive jobs one user may have queued or running at once. */
    MAX_ACTIVE_JOBS_PER_USER: z.coerce.number().int().min(1).max(1000).default(5),
    /** Expensive calls (scans, traces, replay, redrive, schema checks) per user per minute, with bursts up to the same number. */
    RATE_LIMIT_EXPENSIVE_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
    /** Sign-in attempts per account, and separately per client address, within SIGN_IN_WINDOW_MS. */
    SIGN_IN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10_000).default(10),
    SIGN_IN_WINDOW_MS: positiveInt(5 * 60_000),
  });

export const envSchema = envObject
  .superRefine((env, ctx) => {
    checkOidcEnv(env, (variable, message) => ctx.addIssue({ code: "custom", path: [variable], message }));
    if (env.OIDC_ISSUER_URL && !env.SIGNALBOX_SECRET) ctx.addIssue({ code: "custom", path: ["SIGNALBOX_SECRET"], message: "required when OIDC_ISSUER_URL is set (it seals the sign-on transaction)" });
    if (env.KAFKA_SASL_MECHANISM && (!env.KAFKA_SASL_USERNAME || !env.KAFKA_SASL_PASSWORD)) {
      ctx.addIssue({
        code: "custom",
        path: ["KAFKA_SASL_USERNAME"],
        message: "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD are required when KAFKA_SASL_MECHANISM is set",
      });
    }
  })
  .transform((env, ctx) => ({ ...env, clusters: configuredClusters(env, (p, message) => ctx.addIssue({ code: "custom", path: p, message })) }));

export type Env = z.infer<typeof envSchema>;

function isSecretKey(value: string): boolean {
  return secretKeyProblem(value) === "";
}

function secretKeyProblem(value: string): string {
  try {
    parseSecretKey(value);
    return "";
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Every cluster configuration defines: the one of KAFKA_BROKERS (named KAFKA_CLUSTER_NAME, the
 * default) and those of the clusters document. Exactly one of them is the default.
 */
function configuredClusters(env: z.infer<typeof envObject>, issue: (path: (string | number)[], message: string) => void): ClusterDefinition[] {
  const clusters: ClusterDefinition[] = [];
  if (env.KAFKA_BROKERS) {
    const sasl = env.KAFKA_SASL_MECHANISM && env.KAFKA_SASL_USERNAME && env.KAFKA_SASL_PASSWORD ? { mechanism: env.KAFKA_SASL_MECHANISM.toUpperCase() as "PLAIN", username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD } : null;
    clusters.push({
      name: env.KAFKA_CLUSTER_NAME,
      bootstrapServers: env.KAFKA_BROKERS,
      securityProtocol: env.KAFKA_SSL ? (sasl ? "SASL_SSL" : "SSL") : sasl ? "SASL_PLAINTEXT" : "PLAINTEXT",
      sasl,
      tls: env.KAFKA_SSL ? { ca: null, cert: null, key: null, keyPassphrase: null, verifyHostname: true } : null,
      label: null,
      color: null,
      schemaRegistryUrl: null,
      schemaRegistryAuth: null,
      schemaRegistryCa: null,
      connect: connectFromVariable(env.KAFKA_CONNECT_URLS, (message) => issue(["KAFKA_CONNECT_URLS"], message)),
      isDefault: true,
    });
  } else if (env.KAFKA_CONNECT_URLS) {
    issue(["KAFKA_CONNECT_URLS"], "given, but KAFKA_BROKERS is not: name Connect clusters in the clusters document (connect: under the cluster) instead");
  }
  const documents: { variable: string; text: string; baseDir: string }[] = [];
  if (env.SIGNALBOX_CLUSTERS_FILE) {
    const file = path.resolve(env.SIGNALBOX_CLUSTERS_FILE);
    try {
      documents.push({ variable: "SIGNALBOX_CLUSTERS_FILE", text: fs.readFileSync(file, "utf8"), baseDir: path.dirname(file) });
    } catch (error) {
      issue(["SIGNALBOX_CLUSTERS_FILE"], `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
  if (env.SIGNALBOX_CLUSTERS) documents.push({ variable: "SIGNALBOX_CLUSTERS", text: env.SIGNALBOX_CLUSTERS, baseDir: process.cwd() });
  for (const document of documents) {
    const report = (p: (string | number)[], message: string) => issue([document.variable, ...p], message);
    for (const def of parseClustersDocument(document.text, { baseDir: document.baseDir, env: process.env }, report)) {
      if (clusters.some((c) => c.name === def.name)) report([def.name], `the cluster "${def.name}" is defined twice${env.KAFKA_BROKERS && def.name === env.KAFKA_CLUSTER_NAME ? " (KAFKA_BROKERS defines it as KAFKA_CLUSTER_NAME)" : ""}`);
      else if (def.isDefault && clusters.some((c) => c.isDefault)) report([def.name, "default"], env.KAFKA_BROKERS ? "KAFKA_BROKERS already defines the default cluster: remove default: true, or unset KAFKA_BROKERS" : "another cluster is already the default");
      else clusters.push(def);
    }
  }
  if (clusters.length === 0) {
    issue(["KAFKA_BROKERS"], "required: a comma-separated list of host:port, e.g. 127.0.0.1:19092 (or clusters in SIGNALBOX_CLUSTERS_FILE, see docs/clusters.md)");
  } else if (!clusters.some((c) => c.isDefault)) {
    clusters[0]!.isDefault = true;
  }
  return clusters;
}

/** KAFKA_CONNECT_URLS: `name=url` or a bare URL (named "connect"), comma-separated. */
function connectFromVariable(value: string | undefined, issue: (message: string) => void): ConnectDefinition[] {
  if (!value) return [];
  const list: ConnectDefinition[] = [];
  for (const part of value.split(",").map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf("=");
    const [rawName, rawUrl] = eq > 0 && !part.slice(0, eq).includes("/") ? [part.slice(0, eq), part.slice(eq + 1)] : ["connect", part];
    const name = connectNameSchema.safeParse(rawName);
    const url = connectUrlSchema.safeParse(rawUrl);
    if (!name.success) issue(`"${rawName}": ${name.error.issues[0]!.message}`);
    else if (!url.success) issue(`"${rawUrl}": ${url.error.issues[0]!.message}`);
    else list.push({ name: name.data, url: url.data, basicAuth: null });
  }
  const problem = connectListProblem(list);
  if (problem) issue(problem);
  return list;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses configuration from `source`; throws ConfigError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // Treat empty strings as unset, the way shells and .env files usually mean them.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".") || "(config)"}: ${issue.message}`));
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated configuration of this process, parsed once. */
export function getEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

const SECRET_KEYS = new Set<keyof Env>([
  "KAFKA_SASL_PASSWORD",
  "DATABASE_URL",
  "DEMO_SHOP_DATABASE_URL",
  "OUTBOX_MONITORS",
  "SIGNALBOX_ADMIN_PASSWORD",
  "SIGNALBOX_DEMO_PASSWORD",
  "SIGNALBOX_SECRET",
  "OIDC_CLIENT_SECRET",
  "SIGNALBOX_SECRET_KEY",
  "SIGNALBOX_SECRET_KEYS_PREVIOUS",
  // The document may hold passwords and keys inline; `clusters` below says what it defined.
  "SIGNALBOX_CLUSTERS",
]);

/** Configuration that is safe to print: secrets are replaced, and the database password is masked. */
export function redactEnv(env: Env): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => {
      if (key === "clusters") return [key, (value as ClusterDefinition[]).map(redactDefinition)];
      if (!SECRET_KEYS.has(key as keyof Env) || value === undefined) return [key, value];
      if (key === "DATABASE_URL" || key === "DEMO_SHOP_DATABASE_URL") return [key, redactUrlPassword(String(value))];
      if (key === "OUTBOX_MONITORS") return [key, (value as OutboxMonitorConfig[]).map((m) => ({ ...m, url: redactUrlPassword(m.url) }))];
      return [key, "[redacted]"];
    }),
  );
}

export function redactUrlPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]*)@/, "//$1:[redacted]@");
}
