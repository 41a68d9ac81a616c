// Node wrapper around scripts/kafka/kafka.sh: the local single-node broker and Kafka's own CLI tools.
import fs from "node:fs";
import path from "node:path";
import { run } from "./processes";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const KAFKA_SH = path.join(REPO_ROOT, "scripts/kafka/kafka.sh");

export interface LocalKafka {
  port: number;
  bootstrap: string;
  version: string;
}

/**
 * The Kafka version the local broker runs: KAFKA_VERSION (e.g. 4.4.0), else the pin in
 * scripts/kafka/pom.xml. kafka.sh resolves it the same way; it is read here too so that the
 * integration setup, the e2e setup and the demo can say which version they started.
 */
export function localKafkaVersion(): string {
  if (process.env.KAFKA_VERSION) return process.env.KAFKA_VERSION;
  const pom = fs.readFileSync(path.join(REPO_ROOT, "scripts/kafka/pom.xml"), "utf8");
  const pin = pom.match(/<kafka\.version>([^<]+)<\/kafka\.version>/)?.[1];
  if (!pin) throw new Error("scripts/kafka/pom.xml has no <kafka.version>");
  return pin;
}

/**
 * `extraConfig`: server.properties lines added to kafka.sh's own (an authorizer, say). `nodes`: a
 * cluster of that many brokers (kafka.sh's KAFKA_NODES), the first on `port`; the bootstrap names it alone.
 */
export async function startLocalKafka(options: { port: number; fresh?: boolean; echo?: boolean; extraConfig?: string[]; nodes?: number }): Promise<LocalKafka> {
  const version = localKafkaVersion();
  let extraFile = "";
  if (options.extraConfig?.length) {
    const dir = path.join(REPO_ROOT, ".cache", "kafka-extra");
    fs.mkdirSync(dir, { recursive: true });
    extraFile = path.join(dir, `${options.port}.properties`);
    fs.writeFileSync(extraFile, `${options.extraConfig.join("\n")}\n`);
  }
  // KAFKA_VERSION is passed explicitly so the broker is the version reported here, whatever kafka.sh defaults to.
  await run("bash", [KAFKA_SH, "start"], {
    env: {
      KAFKA_PORT: String(options.port),
      KAFKA_FRESH: options.fresh ? "1" : "",
      KAFKA_VERSION: version,
      KAFKA_NODES: String(options.nodes ?? 1),
      ...(extraFile ? { KAFKA_EXTRA_CONFIG: extraFile } : {}),
    },
    echo: options.echo,
  });
  return { port: options.port, bootstrap: `127.0.0.1:${options.port}`, version };
}

export async function stopLocalKafka(port: number): Promise<void> {
  await run("bash", [KAFKA_SH, "stop"], { env: { KAFKA_PORT: String(port) } });
}

/** SIGKILLs the broker (a crash, for the chaos suite): its data stays, and `startLocalKafka` recovers it. */
export async function killLocalKafka(port: number): Promise<void> {
  await run("bash", [KAFKA_SH, "kill"], { env: { KAFKA_PORT: String(port) } });
}

/** Runs one of Kafka's own command-line tools (e.g. kafka-consumer-groups) and returns its stdout. */
export async function kafkaTool(port: number, tool: string, args: string[]): Promise<string> {
  // The bootstrap flag goes last: tools with subcommands (kafka-cluster cluster-id) only accept it there.
  return run("bash", [KAFKA_SH, "tool", tool, ...args, "--bootstrap-server", `127.0.0.1:${port}`], { env: { KAFKA_PORT: String(port) } });
}
