// Starts the whole stack for the end-to-end tests: a fresh local broker, a fresh migrated and seeded
// database, a production build of the web app, the worker and the demo event system, and the demo
// identity provider, so single sign-on is tested through a real provider's login page.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { startDemoIdp } from "../scripts/lib/demo-idp";
import { startExternalRegistry } from "../scripts/lib/external-registry";
import { startLocalKafka, stopLocalKafka } from "../scripts/lib/local-kafka";
import { shopDatabaseUrl } from "../scripts/lib/database";
import { startStack, type RunningStack } from "../scripts/lib/stack";
import { E2E_STACK } from "../scripts/lib/test-ports";
import { ADMIN_STATE, E2E_PASSWORD, saveSignedInState } from "./auth";

export const ARTIFACTS_DIR = path.resolve(import.meta.dirname, "artifacts");

export default async function globalSetup() {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const logFile = path.join(ARTIFACTS_DIR, "stack.log");
  fs.writeFileSync(logFile, "");
  // In this process, before the stack: Signalbox reads its issuer at start, and the provider must
  // live as long as the test run does.
  const idp = await startDemoIdp({ port: E2E_STACK.idpPort, signalboxUrl: `http://127.0.0.1:${E2E_STACK.webPort}` });
  console.log(`[e2e] Demo identity provider at ${idp.issuer}`);
  // A second cluster (e2e/clusters/clusters.spec.ts): a plain broker of its own, configured beside the
  // default, with an authorizer for e2e/acls (its plain listener's ANONYMOUS, which Signalbox and the
  // tools connect as, is a super user).
  const second = await startLocalKafka({
    port: E2E_STACK.secondKafkaPort,
    fresh: true,
    extraConfig: ["authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer", "super.users=User:ANONYMOUS", "allow.everyone.if.no.acl.found=false"],
  });
  // Its schemas live in an external registry (e2e/messages/external-registry.spec.ts): a second
  // Signalbox over HTTPS with a test CA and its own database, reached with a Bearer token.
  const registry = await startExternalRegistry({ port: E2E_STACK.externalRegistryPort, databaseUrl: E2E_STACK.externalRegistryDatabaseUrl, dir: path.resolve(".cache/e2e-external-registry"), logFile });
  process.env.E2E_EXTERNAL_REGISTRY = JSON.stringify({ url: registry.url, tokenName: registry.tokenName, caFile: registry.caFile });
  process.env.E2E_EXTERNAL_REGISTRY_TOKEN = registry.token;
  const secondCluster = {
    clusters: [
      {
        name: E2E_STACK.secondClusterName,
        bootstrapServers: second.bootstrap,
        label: "second",
        color: "#d9480f",
        schemaRegistry: { url: registry.url, tokenEnv: "E2E_EXTERNAL_REGISTRY_TOKEN", caFile: registry.caFile },
      },
    ],
  };
  let stack: RunningStack;
  try {
    stack = await startStack({
      kafkaPort: E2E_STACK.kafkaPort,
      freshKafka: true,
      // e2e/connect: a real Kafka Connect worker for the default cluster.
      connectPort: E2E_STACK.connectPort,
      databaseUrl: E2E_STACK.databaseUrl,
      resetDatabase: true,
      webPort: E2E_STACK.webPort,
      distDir: E2E_STACK.distDir,
      withDemoSystem: true,
      logFile,
      env: {
        HEALTH_PROBE_INTERVAL_MS: "1000",
        WORKER_HEARTBEAT_MS: "2000",
        KAFKA_CONNECTION_TIMEOUT_MS: "1500",
        LOG_LEVEL: "info",
        // Faster sampling and a shorter status window, so lag statuses settle within seconds.
        SAMPLER_INTERVAL_MS: "2000",
        SAMPLER_STATUS_WINDOW: "5",
        // The demo shop's outbox, and one whose table no relay serves (e2e/outbox: missing, then stalled).
        OUTBOX_MONITORS: JSON.stringify([
          { name: "shop", url: shopDatabaseUrl(E2E_STACK.databaseUrl), table: "shop.outbox", publishedColumn: "published_at", stallAfterSeconds: 30 },
          { name: "legacy-billing", url: shopDatabaseUrl(E2E_STACK.databaseUrl), table: "shop.legacy_outbox", stallAfterSeconds: 30 },
        ]),
        // Infer producers from recent messages every few seconds, so the topology confirms them soon.
        TOPOLOGY_PRODUCER_SAMPLE_INTERVAL_MS: "3000",
        // One local account per role (e2e/auth.ts signs in as them).
        SIGNALBOX_SEED_DEMO_ACCOUNTS: "1",
        SIGNALBOX_DEMO_PASSWORD: E2E_PASSWORD,
        // The suite signs in many times from one address, and traces across every topic it made.
        SIGN_IN_MAX_ATTEMPTS: "500",
        RATE_LIMIT_EXPENSIVE_PER_MINUTE: "600",
        TRACE_MAX_TOPICS: "500",
      // e2e/messages/masking.spec.ts: only admins read the demo's customer ids.
      MASKING_POLICIES: JSON.stringify([{ name: "customer ids", topics: "orders", paths: ["data.customerId"], visibleTo: [] }]),
        // Short enough for the security spec to send a larger body, long enough for every real call.
        API_MAX_BODY_BYTES: String(1024 * 1024),
        // Single sign-on through the demo provider (e2e/auth/oidc.spec.ts); the secret seals its attempts.
        ...idp.env,
        SIGNALBOX_SECRET: randomBytes(48).toString("base64url"),
        // Seals the secrets of clusters added in Settings (e2e/settings/clusters.spec.ts).
        SIGNALBOX_SECRET_KEY: randomBytes(32).toString("base64"),
        SIGNALBOX_CLUSTERS: JSON.stringify(secondCluster),
      },
      say: (m) => console.log(`[e2e] ${m}`),
    });
  } catch (error) {
    await idp.stop();
    await registry.stop();
    await stopLocalKafka(E2E_STACK.secondKafkaPort);
    throw error;
  }
  console.log(`[e2e] Signalbox is up at ${stack.url}; stack output goes to ${logFile}`);
  // e2e/outage/worker-stopped.spec.ts pauses the worker by its process id (specs inherit this environment).
  process.env.E2E_WORKER_PID = String(stack.processes.find((p) => p.name === "worker")?.child.pid ?? "");
  // Most specs act as the admin; auth specs sign in as other roles themselves.
  await saveSignedInState(stack.url, "admin@signalbox.local", ADMIN_STATE);
  return async () => {
    await stack.stop();
    await idp.stop();
    await registry.stop();
    await stopLocalKafka(E2E_STACK.secondKafkaPort);
  };
}
