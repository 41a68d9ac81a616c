// `npm run demo`: everything on this machine, with a live demo event system. Ctrl-C stops it all.
// DEMO_OIDC=1 adds the demo identity provider, so single sign-on can be tried without one.
// DEMO_CLUSTERS=2 adds a second cluster: a broker that takes SASL_SSL with SCRAM-SHA-512 only.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_DEMO_PASSWORD, DEMO_ACCOUNTS } from "../src/demo/accounts";
import { redactUrlPassword } from "../src/env";
import { isListening, startEmbeddedPostgres, type EmbeddedPostgres } from "./lib/embedded-postgres";
import { DEMO_IDP_PASSWORD, DEMO_IDP_PORT, describeDemoIdpUsers, startDemoIdp } from "./lib/demo-idp";
import { kafkaTool, REPO_ROOT } from "./lib/local-kafka";
import { SCRAM_USERS, startSecuredKafka, type SecuredKafka } from "./lib/secured-kafka";
import { createDemoConnectors } from "./lib/demo-connect";
import { startStack } from "./lib/stack";

const LOCAL_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/signalbox";

/**
 * The key that seals the secrets of clusters added in Settings: SIGNALBOX_SECRET_KEY if set, else
 * one the demo makes once and keeps in .cache/ (git-ignored, owner-only), so the clusters saved in
 * one demo still open in the next.
 */
function demoSecretKey(): string {
  if (process.env.SIGNALBOX_SECRET_KEY) return process.env.SIGNALBOX_SECRET_KEY;
  const file = path.join(REPO_ROOT, ".cache", "demo-secret-key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/**
 * DATABASE_URL if given; else a PostgreSQL on this machine's default port; else (or with
 * SIGNALBOX_EMBEDDED_DB=1) an embedded PostgreSQL from npm, so a newcomer needs no database at all.
 */
async function chooseDatabase(): Promise<{ url: string; embedded: EmbeddedPostgres | null }> {
  if (process.env.DATABASE_URL) {
    console.log(`Using DATABASE_URL ${redactUrlPassword(process.env.DATABASE_URL)}.`);
    return { url: process.env.DATABASE_URL, embedded: null };
  }
  if (process.env.SIGNALBOX_EMBEDDED_DB !== "1" && (await isListening("127.0.0.1", 5432))) {
    console.log(`DATABASE_URL is not set; using the local PostgreSQL at ${LOCAL_POSTGRES_URL}.`);
    return { url: LOCAL_POSTGRES_URL, embedded: null };
  }
  const port = Number(process.env.EMBEDDED_DB_PORT || 55432);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`EMBEDDED_DB_PORT must be a TCP port number, got "${process.env.EMBEDDED_DB_PORT}"`);
  console.log(
    process.env.SIGNALBOX_EMBEDDED_DB === "1"
      ? `SIGNALBOX_EMBEDDED_DB=1: starting the embedded PostgreSQL on 127.0.0.1:${port}…`
      : `DATABASE_URL is not set and no PostgreSQL answers on 127.0.0.1:5432; starting the embedded PostgreSQL on 127.0.0.1:${port}…`,
  );
  const embedded = await startEmbeddedPostgres({ port, say: (m) => console.log(m) });
  return { url: embedded.databaseUrl("signalbox"), embedded };
}

/** The second cluster's broker: plain listener (tools) on this port, SASL_SSL two above it (secured-kafka.ts). */
const SECOND_KAFKA_PORT = Number(process.env.DEMO_SECOND_KAFKA_PORT || 19102);
const SECOND_CLUSTER = "demo-secure";
const SECOND_TOPICS = ["billing.invoices", "billing.payouts", "billing.invoices.DLQ"];

/**
 * DEMO_CLUSTERS=2: a second broker, reached over SASL_SSL with SCRAM-SHA-512 and the test CA, with a
 * few topics of its own, configured beside the default through SIGNALBOX_CLUSTERS.
 */
async function startSecondCluster(): Promise<{ broker: SecuredKafka; env: Record<string, string> }> {
  console.log(`DEMO_CLUSTERS=2: starting a second broker (SASL_SSL, SCRAM-SHA-512) on 127.0.0.1:${SECOND_KAFKA_PORT + 2}…`);
  const broker = await startSecuredKafka(SECOND_KAFKA_PORT);
  try {
    for (const topic of SECOND_TOPICS) await kafkaTool(SECOND_KAFKA_PORT, "kafka-topics", ["--create", "--if-not-exists", "--topic", topic, "--partitions", "2", "--replication-factor", "1"]);
  } catch (error) {
    await broker.stop();
    throw error;
  }
  const { alice } = SCRAM_USERS;
  const clusters = {
    clusters: [
      {
        name: SECOND_CLUSTER,
        bootstrapServers: broker.saslSsl,
        securityProtocol: "SASL_SSL",
        sasl: { mechanism: "SCRAM-SHA-512", username: alice.username, password: alice.password },
        tls: { caFile: broker.pki.ca.certFile },
        label: "SASL_SSL",
        color: "#d9480f",
      },
    ],
  };
  return { broker, env: { SIGNALBOX_CLUSTERS: JSON.stringify(clusters) } };
}

async function main() {
  const t0 = performance.now();
  const database = await chooseDatabase();
  const databaseUrl = database.url;
  const webPort = Number(process.env.PORT || 3000);

  // Before the stack, because Signalbox reads its issuer at start. Its own port (DEMO_IDP_PORT),
  // apart from the e2e suite's provider, so a demo and a test run can share the machine.
  const idp = process.env.DEMO_OIDC === "1" ? await startDemoIdp({ port: Number(process.env.DEMO_IDP_PORT || DEMO_IDP_PORT), signalboxUrl: `http://127.0.0.1:${webPort}` }) : null;
  if (idp) console.log(`Demo identity provider (DEMO_OIDC=1) at ${idp.issuer}.`);
  const clusterCount = Number(process.env.DEMO_CLUSTERS || 1);
  if (clusterCount !== 1 && clusterCount !== 2) throw new Error(`DEMO_CLUSTERS must be 1 or 2, got "${process.env.DEMO_CLUSTERS}"`);
  let second: Awaited<ReturnType<typeof startSecondCluster>> | null = null;
  try {
    second = clusterCount === 2 ? await startSecondCluster() : null;
  } catch (error) {
    await idp?.stop();
    await database.embedded?.stop();
    throw error;
  }

  let stack: Awaited<ReturnType<typeof startStack>>;
  try {
    stack = await startStack({
      kafkaPort: Number(process.env.KAFKA_PORT || 19092),
      // The demo keeps its broker's data between runs; KAFKA_FRESH=1 wipes it, which is needed to
      // switch KAFKA_VERSION (kafka.sh refuses data written by another Kafka version).
      freshKafka: process.env.KAFKA_FRESH === "1",
      externalBrokers: process.env.KAFKA_BROKERS || undefined,
      databaseUrl,
      webPort,
      distDir: ".next",
      withDemoSystem: true,
      // A Kafka Connect worker with two connectors (DEMO_CONNECT=0: none); only beside the local broker.
      connectPort: process.env.DEMO_CONNECT === "0" || process.env.KAFKA_BROKERS ? undefined : Number(process.env.CONNECT_PORT || 18083),
      echo: process.env.DEMO_QUIET !== "1",
      env: {
        SIGNALBOX_SEED_DEMO_ACCOUNTS: "1",
        SIGNALBOX_SECRET_KEY: demoSecretKey(),
        // A fresh secret each run is enough: it only seals sign-on attempts, which last minutes.
        ...(idp ? { ...idp.env, SIGNALBOX_SECRET: randomBytes(48).toString("base64url") } : {}),
        ...second?.env,
      },
    });
  } catch (error) {
    await idp?.stop();
    await second?.broker.stop();
    await database.embedded?.stop();
    throw error;
  }

  const connectUrl = stack.env.KAFKA_CONNECT_URLS?.split("=")[1];
  const connectors = connectUrl ? await createDemoConnectors(connectUrl).catch((error: unknown) => (console.error(`The demo connectors were not created: ${error instanceof Error ? error.message : String(error)}`), [])) : [];

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Signalbox…`);
    await stack.stop();
    await idp?.stop();
    await second?.broker.stop();
    await database.embedded?.stop();
    console.log("Stopped. No processes left running.");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  for (const p of stack.processes) {
    void p.exited.then((code) => {
      if (!stopping) {
        console.error(`${p.name} exited (code ${code}); stopping everything.`);
        void shutdown("child exit");
      }
    });
  }

  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  const password = process.env.SIGNALBOX_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
  const accounts = DEMO_ACCOUNTS.map((a) => `    ${a.email.padEnd(28)} ${a.role}`).join("\n");
  const sso = idp ? `\n\n  Or press "${idp.env.OIDC_DISPLAY_NAME}" and sign in at the demo identity provider as one of these, password "${DEMO_IDP_PASSWORD}":\n${describeDemoIdpUsers("    ")}` : "";
  const connect = connectors.length ? `\n\n  Kafka Connect at ${connectUrl} with connectors ${connectors.join(", ")}.` : "";
  const clusters = second ? `\n\n  Two clusters: the default, and ${SECOND_CLUSTER} over SASL_SSL (SCRAM-SHA-512) at ${second.broker.saslSsl}, with topics ${SECOND_TOPICS.join(", ")}.` : "";
  console.log(`\n  Signalbox is running at ${stack.url}  (ready in ${seconds} s)${clusters}${connect}\n\n  Sign in with one of these accounts, password "${password}" (SIGNALBOX_DEMO_PASSWORD sets it):\n${accounts}${sso}\n\n  Press Ctrl-C to stop everything.\n`);
}

main().catch((error) => {
  console.error(`\nnpm run demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
