// After a chaos run: make sure nothing it started still runs (the test worker stops its stack, but a
// worker killed at a timeout cannot), then print the table of what each scenario found.
import fs from "node:fs";
import { stopLocalKafka } from "../../scripts/lib/local-kafka";
import { postgresCluster } from "../../scripts/lib/postgres-cluster";
import { CHAOS_STACK } from "../../scripts/lib/test-ports";
import { killLeftovers } from "./lib/leftovers";
import { readResults, renderTable, TABLE_FILE } from "./lib/report";

export default async function globalTeardown() {
  killLeftovers();
  await stopLocalKafka(CHAOS_STACK.kafkaPort).catch(() => undefined);
  await postgresCluster({ port: CHAOS_STACK.postgresPort, dataDir: CHAOS_STACK.postgresDataDir }).stop("immediate").catch(() => undefined);
  const results = readResults();
  if (results.length === 0) return;
  const table = renderTable(results);
  fs.writeFileSync(TABLE_FILE, `${table}\n`);
  console.log(`\nChaos results (${TABLE_FILE}):\n\n${table}\n`);
}
