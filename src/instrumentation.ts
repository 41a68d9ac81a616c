// Runs once when the Next.js server starts: invalid configuration stops it with a message naming the variable.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getEnv, ConfigError, redactEnv } = await import("./env");
  try {
    const env = getEnv();
    const { createLogger } = await import("./lib/logger");
    createLogger("web").info("configuration loaded", { config: redactEnv(env) });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`\nSignalbox cannot start.\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
