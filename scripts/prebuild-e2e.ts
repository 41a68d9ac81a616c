// `npm test` starts this beside the integration stage, which mostly waits on brokers: it makes the
// end-to-end suite's production build (next build, minutes of CPU) then, and the e2e global setup
// finds it current and reuses it (scripts/lib/stack.ts, ensureWebBuild). Same directory and the
// same stack variables as the global setup gives it.
import { ensureWebBuild, ensureWorkerBuild } from "./lib/stack";
import { E2E_STACK } from "./lib/test-ports";

const say = (message: string) => console.log(`[prebuild-e2e] ${message}`);
const t0 = Date.now();
await ensureWebBuild(
  E2E_STACK.distDir,
  { KAFKA_BROKERS: `127.0.0.1:${E2E_STACK.kafkaPort}`, DATABASE_URL: E2E_STACK.databaseUrl, PORT: String(E2E_STACK.webPort), NEXT_DIST_DIR: E2E_STACK.distDir },
  say,
);
await ensureWorkerBuild();
say(`done in ${Math.round((Date.now() - t0) / 1000)} s`);
