// A small structured logger shared by the web tier, worker and demo. It writes one JSON line per
// event to stderr; callers pass already-redacted values (see redactEnv and broker/redact).
type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const level = (process.env.LOG_LEVEL as Level | undefined) ?? "info";
  return ORDER[level] ?? ORDER.info;
}

export type Logger = Record<Level, (message: string, fields?: Record<string, unknown>) => void>;

export function createLogger(component: string): Logger {
  const write = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < threshold()) return;
    const line = { t: new Date().toISOString(), level, component, message, ...fields };
    process.stderr.write(`${JSON.stringify(line)}\n`);
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
