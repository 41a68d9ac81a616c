// Starts a second Signalbox as an external schema registry for the tests (docs/schemas.md, "External
// registries": Apicurio Registry cannot run from Maven Central here, so this stands in for it): its
// own freshly migrated database, HTTPS with a certificate from a throwaway test CA, and an architect
// API token for Basic or Bearer authentication. Stop it by the handle's stop().
import fs from "node:fs";
import path from "node:path";
import { ensureDatabase, migrateDatabase } from "./database";
import { REPO_ROOT } from "./local-kafka";
import { SERVER_CONDITION, startProcess, type ManagedProcess } from "./processes";
import { createTestPki } from "./test-certificates";

export interface ExternalRegistryHandle {
  /** The Confluent-compatible base URL, e.g. https://127.0.0.1:18186/api/schema-registry. */
  url: string;
  /** The test CA that signed its certificate (PEM), and the file that holds it. */
  caPem: string;
  caFile: string;
  /** An architect token: Bearer `token`, or HTTP Basic with `tokenName` and `token`. */
  tokenName: string;
  token: string;
  stop(): Promise<void>;
}

export async function startExternalRegistry(options: { port: number; databaseUrl: string; dir: string; logFile?: string; tokenName?: string }): Promise<ExternalRegistryHandle> {
  await ensureDatabase(options.databaseUrl, { reset: true });
  await migrateDatabase(options.databaseUrl);
  const pki = await createTestPki(options.dir);
  let ready: (value: { port: number; tokenName: string; token: string }) => void = () => {};
  const announced = new Promise<{ port: number; tokenName: string; token: string }>((resolve) => (ready = resolve));
  const log = options.logFile ? fs.createWriteStream(options.logFile, { flags: "a" }) : null;
  const child: ManagedProcess = startProcess("ext-reg", path.join(REPO_ROOT, "node_modules/.bin/tsx"), [...SERVER_CONDITION, "scripts/lib/external-registry-server.ts"], {
    cwd: REPO_ROOT,
    quiet: true,
    env: {
      DATABASE_URL: options.databaseUrl,
      // Its own configuration: no cluster of the Signalbox under test, nothing it needs reaches Kafka.
      KAFKA_BROKERS: "127.0.0.1:9",
      KAFKA_CLUSTER_NAME: "external-registry",
      SIGNALBOX_CLUSTERS: undefined,
      SIGNALBOX_CLUSTERS_FILE: undefined,
      KAFKA_CONNECT_URLS: undefined,
      LOG_LEVEL: "warn",
      EXTERNAL_REGISTRY_PORT: String(options.port),
      EXTERNAL_REGISTRY_TOKEN_NAME: options.tokenName,
      EXTERNAL_REGISTRY_CERT_FILE: pki.broker.certFile,
      EXTERNAL_REGISTRY_KEY_FILE: pki.broker.keyFile,
    },
    onLine: (line) => {
      const match = /^EXTERNAL_REGISTRY_READY (.+)$/.exec(line);
      if (match) ready(JSON.parse(match[1]!) as { port: number; tokenName: string; token: string });
      // The ready line holds the token: never written to the log.
      else log?.write(`[ext-reg] ${line}\n`);
    },
  });
  const outcome = await Promise.race([
    announced,
    child.exited.then((code) => new Error(`the external registry (a second Signalbox) exited with code ${code} before it was ready${options.logFile ? `; see ${options.logFile}` : ""}`)),
    new Promise<Error>((resolve) => setTimeout(() => resolve(new Error("the external registry (a second Signalbox) was not ready within 90 s")), 90_000).unref()),
  ]);
  if (outcome instanceof Error) {
    await child.stop();
    throw outcome;
  }
  return {
    url: `https://127.0.0.1:${outcome.port}/api/schema-registry`,
    caPem: pki.ca.cert,
    caFile: pki.ca.certFile,
    tokenName: outcome.tokenName,
    token: outcome.token,
    stop: async () => {
      await child.stop();
      log?.end();
    },
  };
}
