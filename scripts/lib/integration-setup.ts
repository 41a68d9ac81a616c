// Vitest global setup for integration tests: a fresh local broker and a fresh, migrated, seeded database.
import { ensureDatabase, migrateDatabase, seedDatabase } from "./database";
import { startLocalKafka, stopLocalKafka } from "./local-kafka";
import { INTEGRATION_STACK } from "./test-ports";

export default async function setup() {
  const env = { ...process.env, KAFKA_BROKERS: `127.0.0.1:${INTEGRATION_STACK.kafkaPort}`, DATABASE_URL: INTEGRATION_STACK.databaseUrl, KAFKA_CLUSTER_NAME: "integration" };
  const kafka = await startLocalKafka({ port: INTEGRATION_STACK.kafkaPort, fresh: true });
  // Said once per run, so a log shows which broker version the suite passed (or failed) on.
  console.log(`Integration broker: Apache Kafka ${kafka.version} on ${kafka.bootstrap}`);
  await ensureDatabase(INTEGRATION_STACK.databaseUrl, { reset: true });
  await migrateDatabase(INTEGRATION_STACK.databaseUrl);
  await seedDatabase(env);
  return async () => {
    await stopLocalKafka(INTEGRATION_STACK.kafkaPort);
  };
}
