// Invalid configuration stops the web server at start with a message naming the variable.
import { ConfigError, getEnv, redactEnv } from "./env";
import { createLogger } from "./lib/logger";

try {
  createLogger("web").info("configuration loaded", { config: redactEnv(getEnv()) });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`\nSignalbox cannot start.\n${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
