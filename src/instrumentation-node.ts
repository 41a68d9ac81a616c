// Invalid configuration stops the web server at start with a message naming the variable, and so
// does sign-in turned off (SIGNALBOX_AUTH=none) on a server that others could reach.
import { ConfigError, getEnv, redactEnv } from "./env";
import { createLogger } from "./lib/logger";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** The -H/--hostname `next start` was given; none means every interface. */
function listenHost(argv: string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-H" || arg === "--hostname") return argv[i + 1] ?? null;
    if (arg.startsWith("--hostname=")) return arg.slice("--hostname=".length);
  }
  return null;
}

try {
  const env = getEnv();
  createLogger("web").info("configuration loaded", { config: redactEnv(env) });
  if (env.SIGNALBOX_AUTH === "none") {
    const host = listenHost(process.argv);
    if (!host || !LOOPBACK.has(host)) {
      console.error(`\nSignalbox cannot start: SIGNALBOX_AUTH=none turns sign-in off, so it may listen only on loopback (next start -H 127.0.0.1); it was started ${host ? `on ${host}` : "on every interface"}.\n`);
      process.exit(1);
    }
    createLogger("web").warn("sign-in is off (SIGNALBOX_AUTH=none): every request acts as an admin; local development only");
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`\nSignalbox cannot start.\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
