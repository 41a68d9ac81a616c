// Vitest global setup for integration tests: a fresh local broker and a fresh, migrated, seeded database.
import path from "node:path";
import { ensureDatabase, migrateDatabase, seedDatabase } from "./database";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres";
import { REPO_ROOT, startLocalKafka, stopLocalKafka } from "./local-kafka";
import { INTEGRATION_EMBEDDED_DB, INTEGRATION_STACK } from "./test-ports";

export default async function setup() {
  const env = { ...process.env, KAFKA_BROKERS: `127.0.0.1:${INTEGRATION_STACK.kafkaPort}`, DATABASE_URL: INTEGRATION_STACK.databaseUrl, KAFKA_CLUSTER_NAME: "integration" };
  let embedded: EmbeddedPostgres | null = null;
  if (INTEGRATION_EMBEDDED_DB) {
    embedded = await startEmbeddedPostgres({ port: INTEGRATION_EMBEDDED_DB.port, dataDir: path.join(REPO_ROOT, INTEGRATION_EMBEDDED_DB.dataDir), fresh: true });
    // Said once per run, with the log to search for errors afterwards.
    console.log(`Integration database: embedded PostgreSQL ${embedded.version} on 127.0.0.1:${embedded.port} (SIGNALBOX_TEST_EMBEDDED_DB=1), log ${embedded.logFile}`);
  }
  try {
    const kafka = await startLocalKafka({ port: INTEGRATION_STACK.kafkaPort, fresh: true });
    // Said once per run, so a log shows which broker version the suite passed (or failed) on.
    console.log(`Integration broker: Apache Kafka ${kafka.version} on ${kafka.bootstrap}`);
    await ensureDatabase(INTEGRATION_STACK.databaseUrl, { reset: true });
    await migrateDatabase(INTEGRATION_STACK.databaseUrl);
    await seedDatabase(env);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  return async () => {
    try {
      await stopLocalKafka(INTEGRATION_STACK.kafkaPort);
    } finally {
      await embedded?.stop();
    }
  };
}
