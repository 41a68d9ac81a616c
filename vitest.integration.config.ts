import { randomBytes } from "node:crypto";
import path from "node:path";
import { defineConfig } from "vitest/config";
import { INTEGRATION_STACK } from "./scripts/lib/test-ports";

// Integration tests run against a real local Kafka broker and PostgreSQL, started by the global setup.
export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(import.meta.dirname, "src"),
      // broker/ and catalog/ import "server-only", which throws outside React's server condition;
      // tests run on the server side by definition, so they get its empty module.
      "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    include: ["src/**/*.int.test.ts", "scripts/**/*.int.test.ts"],
    environment: "node",
    globalSetup: ["./scripts/lib/integration-setup.ts"],
    // One broker and one database are shared, so files run one after another.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: {
      KAFKA_BROKERS: `127.0.0.1:${INTEGRATION_STACK.kafkaPort}`,
      DATABASE_URL: INTEGRATION_STACK.databaseUrl,
      KAFKA_CLUSTER_NAME: "integration",
      // Its worker is started only by the files that need it (src/server/services/connect/*.int.test.ts).
      KAFKA_CONNECT_URLS: `it=http://127.0.0.1:${INTEGRATION_STACK.connectPort}`,
      LOG_LEVEL: "warn",
      // A fresh key per run: the catalog's sealed secrets live only as long as the run's database.
      SIGNALBOX_SECRET_KEY: randomBytes(32).toString("base64"),
    },
  },
});
