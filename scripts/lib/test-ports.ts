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

export const INTEGRATION_STACK = {
  kafkaPort: 19192 + offset,
  databaseUrl: database("signalbox_it"),
} as const;

export const E2E_STACK = {
  kafkaPort: 19292 + offset,
  databaseUrl: database("signalbox_e2e"),
  webPort: 3100 + offset,
  distDir: ".next-e2e",
  /** The demo identity provider the sign-on specs use; the demo's own listens on 4400. */
  idpPort: 4500 + offset,
} as const;

export const BENCH_STACK = {
  kafkaPort: 19392 + offset,
  databaseUrl: database("signalbox_bench"),
  webPort: 3200 + offset,
} as const;
