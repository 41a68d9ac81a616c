// The demo's Kafka Connect connectors, so the Connect page shows something real: a FileStream source
// that reads an inventory feed (one line of it is not JSON) into a topic, and a sink that archives
// that topic to a file, dead-lettering what it cannot read, with Connect's context headers.
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "./local-kafka";

const FEED_LINES = [
  JSON.stringify({ sku: "SKU-1001", warehouse: "eu-west", onHand: 42 }),
  JSON.stringify({ sku: "SKU-1002", warehouse: "eu-west", onHand: 7 }),
  "SKU-1003;eu-west;13   <- a legacy CSV line: not JSON, so the archive sink dead-letters it",
  JSON.stringify({ sku: "SKU-1004", warehouse: "us-east", onHand: 0 }),
];

/** Creates (or updates) the demo connectors on the worker at `url`; PUT …/config is idempotent. */
export async function createDemoConnectors(url: string): Promise<string[]> {
  const dir = path.join(REPO_ROOT, ".cache/demo-connect");
  fs.mkdirSync(dir, { recursive: true });
  const feed = path.join(dir, "inventory-feed.txt");
  if (!fs.existsSync(feed)) fs.writeFileSync(feed, `${FEED_LINES.join("\n")}\n`);
  const connectors: Record<string, Record<string, string>> = {
    "inventory-feed": {
      "connector.class": "FileStreamSource",
      "tasks.max": "1",
      file: feed,
      topic: "inventory-feed",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
      "topic.creation.default.replication.factor": "1",
      "topic.creation.default.partitions": "1",
    },
    "inventory-feed-archive": {
      "connector.class": "FileStreamSink",
      "tasks.max": "1",
      topics: "inventory-feed",
      file: path.join(dir, "inventory-archive.txt"),
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": "inventory-feed-archive.DLQ",
      "errors.deadletterqueue.topic.replication.factor": "1",
      "errors.deadletterqueue.context.headers.enable": "true",
    },
  };
  for (const [name, config] of Object.entries(connectors)) {
    const response = await fetch(`${url}/connectors/${name}/config`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify(config), signal: AbortSignal.timeout(15_000) });
    if (!response.ok) throw new Error(`Kafka Connect refused the demo connector ${name} (HTTP ${response.status}): ${(await response.text()).slice(0, 500)}`);
  }
  return Object.keys(connectors);
}
