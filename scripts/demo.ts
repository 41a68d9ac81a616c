// `npm run demo`: everything on this machine, with a live demo event system. Ctrl-C stops it all.
import { redactUrlPassword } from "../src/env";
import { startStack } from "./lib/stack";

const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/signalbox";

async function main() {
  const t0 = performance.now();
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!process.env.DATABASE_URL) console.log(`DATABASE_URL is not set; using the local PostgreSQL at ${DEFAULT_DATABASE_URL}.`);
  else console.log(`Using DATABASE_URL ${redactUrlPassword(databaseUrl)}.`);

  const stack = await startStack({
    kafkaPort: Number(process.env.KAFKA_PORT || 19092),
    externalBrokers: process.env.KAFKA_BROKERS || undefined,
    databaseUrl,
    webPort: Number(process.env.PORT || 3000),
    distDir: ".next",
    withDemoSystem: true,
    echo: process.env.DEMO_QUIET !== "1",
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Signalbox…`);
    await stack.stop();
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
  console.log(`\n  Signalbox is running at ${stack.url}  (ready in ${seconds} s)\n  Press Ctrl-C to stop everything.\n`);
}

main().catch((error) => {
  console.error(`\nnpm run demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
