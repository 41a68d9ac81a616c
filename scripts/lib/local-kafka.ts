// Node wrapper around scripts/kafka/kafka.sh: the local single-node broker and Kafka's own CLI tools.
import path from "node:path";
import { run } from "./processes";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const KAFKA_SH = path.join(REPO_ROOT, "scripts/kafka/kafka.sh");

export interface LocalKafka {
  port: number;
  bootstrap: string;
}

export async function startLocalKafka(options: { port: number; fresh?: boolean; echo?: boolean }): Promise<LocalKafka> {
  await run("bash", [KAFKA_SH, "start"], { env: { KAFKA_PORT: String(options.port), KAFKA_FRESH: options.fresh ? "1" : "" }, echo: options.echo });
  return { port: options.port, bootstrap: `127.0.0.1:${options.port}` };
}

export async function stopLocalKafka(port: number): Promise<void> {
  await run("bash", [KAFKA_SH, "stop"], { env: { KAFKA_PORT: String(port) } });
}

/** Runs one of Kafka's own command-line tools (e.g. kafka-consumer-groups) and returns its stdout. */
export async function kafkaTool(port: number, tool: string, args: string[]): Promise<string> {
  // The bootstrap flag goes last: tools with subcommands (kafka-cluster cluster-id) only accept it there.
  return run("bash", [KAFKA_SH, "tool", tool, ...args, "--bootstrap-server", `127.0.0.1:${port}`], { env: { KAFKA_PORT: String(port) } });
}
