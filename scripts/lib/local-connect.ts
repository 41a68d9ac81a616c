// Node wrapper around kafka.sh's Kafka Connect commands: one distributed worker (Kafka's own
// ConnectDistributed, with the FileStream connectors) against a local broker, stopped by its PID.
import path from "node:path";
import { localKafkaVersion, REPO_ROOT } from "./local-kafka";
import { run } from "./processes";

const KAFKA_SH = path.join(REPO_ROOT, "scripts/kafka/kafka.sh");

export interface LocalConnect {
  port: number;
  url: string;
}

/** Starts (or finds running) the worker on `connectPort` for the broker on `kafkaPort`; resolves once it takes connector requests. */
export async function startLocalConnect(options: { kafkaPort: number; connectPort: number; fresh?: boolean; echo?: boolean }): Promise<LocalConnect> {
  await run("bash", [KAFKA_SH, "connect-start"], {
    env: { KAFKA_PORT: String(options.kafkaPort), CONNECT_PORT: String(options.connectPort), CONNECT_FRESH: options.fresh ? "1" : "", KAFKA_VERSION: localKafkaVersion() },
    echo: options.echo,
  });
  return { port: options.connectPort, url: `http://127.0.0.1:${options.connectPort}` };
}

export async function stopLocalConnect(options: { kafkaPort: number; connectPort: number }): Promise<void> {
  await run("bash", [KAFKA_SH, "connect-stop"], { env: { KAFKA_PORT: String(options.kafkaPort), CONNECT_PORT: String(options.connectPort) } });
}
