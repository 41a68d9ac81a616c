// Shared test fixtures: the reference tools and page objects every spec uses.
import { test as base } from "@playwright/test";
import { kafkaTool, startLocalKafka, stopLocalKafka } from "../scripts/lib/local-kafka";
import { E2E_STACK } from "../scripts/lib/test-ports";
import { OverviewPage } from "./pages/overview-page";

export interface KafkaReference {
  clusterId(): Promise<string>;
  topics(): Promise<string[]>;
  groups(): Promise<string[]>;
  partitionCount(): Promise<number>;
  /** Each partition's end offset (GetOffsetShell, latest). */
  topicOffsets(topic: string): Promise<{ partition: number; end: number }[]>;
  stopBroker(): Promise<void>;
  startBroker(): Promise<void>;
}

const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

export const test = base.extend<{ kafka: KafkaReference; overview: OverviewPage }>({
  kafka: async ({}, use) => {
    const port = E2E_STACK.kafkaPort;
    await use({
      clusterId: async () => (await kafkaTool(port, "kafka-cluster", ["cluster-id"])).match(/Cluster ID: (\S+)/)![1]!,
      topics: async () => lines(await kafkaTool(port, "kafka-topics", ["--list", "--exclude-internal"])),
      groups: async () => lines(await kafkaTool(port, "kafka-consumer-groups", ["--list"])),
      partitionCount: async () => {
        // GetOffsetShell prints one "topic:partition:offset" line per partition.
        const offsets = lines(await kafkaTool(port, "kafka-get-offsets", ["--exclude-internal-topics"]));
        return offsets.length;
      },
      topicOffsets: async (topic) =>
        lines(await kafkaTool(port, "kafka-get-offsets", ["--topic", topic])).map((line) => {
          const [, partition, end] = line.split(":");
          return { partition: Number(partition), end: Number(end) };
        }),
      stopBroker: () => stopLocalKafka(port),
      startBroker: async () => {
        await startLocalKafka({ port });
      },
    });
  },
  overview: async ({ page }, use) => {
    await use(new OverviewPage(page));
  },
});

export { expect } from "@playwright/test";
