// Fixed ports and databases for the test stacks, apart from the demo's (19092, 3000, "signalbox"),
// so `npm test` can run while `npm run demo` is up.
//
// SIGNALBOX_TEST_PORT_OFFSET (default 0) shifts every port and suffixes every database name, so two
// checkouts of the project (e.g. git worktrees) can run their suites on one machine at once.
const offset = Number(process.env.SIGNALBOX_TEST_PORT_OFFSET || 0);
if (!Number.isInteger(offset) || offset < 0 || offset > 20000) {
  throw new Error(`SIGNALBOX_TEST_PORT_OFFSET must be an integer between 0 and 20000, got "${process.env.SIGNALBOX_TEST_PORT_OFFSET}"`);
}
const suffix = offset ? `_${offset}` : "";
const database = (name: string) => `postgresql://postgres@127.0.0.1:5432/${name}${suffix}`;

/**
 * SIGNALBOX_TEST_EMBEDDED_DB=1 runs the integration suite against the embedded PostgreSQL (the
 * demo's no-database default, scripts/lib/embedded-postgres.ts) instead of the machine's: the
 * global setup starts a fresh one on this port, so the suite proves that mode too.
 */
export const INTEGRATION_EMBEDDED_DB =
  process.env.SIGNALBOX_TEST_EMBEDDED_DB === "1" ? { port: 25432 + offset, dataDir: `.cache/embedded-postgres-it${suffix}` } : null;

export const INTEGRATION_STACK = {
  kafkaPort: 19192 + offset,
  /** The broker with SASL_SSL, mutual TLS and an expired certificate (scripts/lib/secured-kafka.ts): this port and the next four. */
  securedKafkaPort: 19452 + offset,
  /** A second plaintext broker (its controller on the next port), for the worker's many-clusters test. */
  secondKafkaPort: 19458 + offset,
  /** The Kafka Connect worker's REST port (started by the Connect test file only: src/server/services/connect). */
  connectPort: 18183 + offset,
  databaseUrl: INTEGRATION_EMBEDDED_DB ? `postgresql://postgres@127.0.0.1:${INTEGRATION_EMBEDDED_DB.port}/signalbox_it${suffix}` : database("signalbox_it"),
  /** A second Signalbox acting as a cluster's external schema registry (scripts/lib/external-registry.ts): HTTPS on this port, its own database. */
  externalRegistryPort: 18186 + offset,
  externalRegistryDatabaseUrl: INTEGRATION_EMBEDDED_DB ? `postgresql://postgres@127.0.0.1:${INTEGRATION_EMBEDDED_DB.port}/signalbox_it_extreg${suffix}` : database("signalbox_it_extreg"),
} as const;

/** The embedded PostgreSQL's own integration test starts (and restarts) its servers on these. */
export const EMBEDDED_DB_TEST_PORTS = [25433 + offset, 25434 + offset] as const;

export const E2E_STACK = {
  kafkaPort: 19292 + offset,
  databaseUrl: database("signalbox_e2e"),
  webPort: 3100 + offset,
  distDir: ".next-e2e",
  /** The demo identity provider the sign-on specs use; the demo's own listens on 4400. */
  idpPort: 4500 + offset,
  /** A second cluster's broker (e2e/clusters): its controller on the next port. */
  secondKafkaPort: 19296 + offset,
  secondClusterName: "e2e-second",
  /** The Kafka Connect worker's REST port (e2e/connect), against the default cluster's broker. */
  connectPort: 18283 + offset,
  /** The second cluster's external schema registry: a second Signalbox over HTTPS, its own database (e2e/messages/external-registry.spec.ts). */
  externalRegistryPort: 18286 + offset,
  externalRegistryDatabaseUrl: database("signalbox_e2e_extreg"),
} as const;

export const BENCH_STACK = {
  kafkaPort: 19392 + offset,
  databaseUrl: database("signalbox_bench"),
  webPort: 3200 + offset,
} as const;

/**
 * The chaos suite (e2e/chaos, `npm run test:chaos`): its own broker, and a PostgreSQL cluster of its
 * own (it restarts it mid-job, so it cannot be the machine's), with the web behind a proxy that
 * answers 502 while the web is down. It reuses the end-to-end suite's production build.
 */
export const CHAOS_STACK = {
  // Ports ending in 7 and 8 (the controller's): the other stacks' end in 0 to 5, and checkouts' offsets
  // differ by tens, so no offset makes one of these another stack's.
  kafkaPort: 19497 + offset,
  postgresPort: 26437 + offset,
  postgresDataDir: `.cache/chaos-postgres${suffix}`,
  database: "signalbox_chaos",
  webPort: 3307 + offset,
  /** What the browser talks to: the proxy in front of the web. */
  proxyPort: 3357 + offset,
  distDir: E2E_STACK.distDir,
} as const;
