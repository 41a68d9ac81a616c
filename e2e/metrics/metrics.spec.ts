// GET /metrics on the running demo: kafka_exporter's metric names and labels, with values that
// agree with Kafka's own kafka-consumer-groups for the demo's groups.
import { readFileSync } from "node:fs";
import http from "node:http";
import { gunzipSync } from "node:zlib";
import { expect } from "@playwright/test";
import { ADMIN_STATE } from "../auth";
import { E2E_STACK } from "../../scripts/lib/test-ports";
import { test } from "../fixtures";

/** The e2e stack's cluster (KAFKA_CLUSTER_NAME's default). */
const CLUSTER = "local";

/**
 * Parses exposition lines `name{a="b",...} value` into objects; enough for the labels used here.
 * Only the default cluster's: the e2e stack has a second cluster, whose series come along (e2e/clusters).
 */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`))
    .map((line) => {
      const labelText = line.slice(name.length + 1, line.lastIndexOf("}"));
      const labels = Object.fromEntries([...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
      return { labels, value: Number(line.slice(line.lastIndexOf(" ") + 1)) };
    })
    .filter((s) => s.labels.cluster === CLUSTER);
}

test("serves kafka_exporter-compatible metrics for the demo's topics and groups", async ({ request, kafka }) => {
  let body = "";
  await expect
    .poll(
      async () => {
        body = await (await request.get("/metrics")).text();
        return samples(body, "kafka_consumergroup_lag").some((s) => s.labels.consumergroup === "payment-service");
      },
      { timeout: 60_000 },
    )
    .toBe(true);

  const response = await request.get("/metrics");
  expect(response.headers()["content-type"]).toContain("text/plain; version=0.0.4");
  body = await response.text();
  for (const name of [
    "kafka_topic_partition_current_offset",
    "kafka_topic_partition_oldest_offset",
    "kafka_consumergroup_current_offset",
    "kafka_consumergroup_lag",
    "kafka_consumergroup_lag_sum",
    "kafka_consumergroup_members",
    "signalbox_consumergroup_status",
    "signalbox_sampler_cycle_duration_seconds",
  ]) {
    expect(body, name).toContain(`# TYPE ${name} gauge`);
  }
  // Every series carries the cluster's name, as kafka_exporter's --kafka.labels adds it.
  expect(samples(body, "signalbox_sampler_up")).toEqual([{ labels: { cluster: CLUSTER }, value: 1 }]);

  // Every partition of the demo's orders topic is there, with the label set kafka_exporter uses.
  const orders = samples(body, "kafka_topic_partition_current_offset").filter((s) => s.labels.topic === "orders");
  expect(orders.map((s) => s.labels.partition).sort()).toEqual(["0", "1", "2"]);
  expect(Object.keys(orders[0]!.labels).sort()).toEqual(["cluster", "partition", "topic"]);

  const lag = samples(body, "kafka_consumergroup_lag").find((s) => s.labels.consumergroup === "payment-service")!;
  expect(Object.keys(lag.labels).sort()).toEqual(["cluster", "consumergroup", "partition", "topic"]);

  // The broker and replica families, from the cluster's metadata: one broker, which leads every
  // partition of orders with its only replica, in sync.
  expect(samples(body, "kafka_brokers")).toEqual([{ labels: { cluster: CLUSTER }, value: 1 }]);
  const [broker] = samples(body, "kafka_broker_info");
  expect(broker!.labels.address).toBe(`127.0.0.1:${E2E_STACK.kafkaPort}`);
  const ofOrders = (name: string) => samples(body, name).filter((s) => s.labels.topic === "orders").map((s) => [s.labels.partition, s.value]).sort();
  expect(ofOrders("kafka_topic_partition_leader")).toEqual([0, 1, 2].map((p) => [String(p), Number(broker!.labels.id)]));
  expect(ofOrders("kafka_topic_partition_replicas")).toEqual([["0", 1], ["1", 1], ["2", 1]]);
  expect(ofOrders("kafka_topic_partition_in_sync_replica")).toEqual([["0", 1], ["1", 1], ["2", 1]]);
  expect(ofOrders("kafka_topic_partition_leader_is_preferred")).toEqual([["0", 1], ["1", 1], ["2", 1]]);
  expect(ofOrders("kafka_topic_partition_under_replicated_partition")).toEqual([["0", 0], ["1", 0], ["2", 0]]);
  const members = samples(body, "kafka_consumergroup_members").find((s) => s.labels.consumergroup === "payment-service")!;
  expect(members.value).toBeGreaterThanOrEqual(1);
  // Every group the metrics name exists on the broker. A group deleted after the last sample (a
  // finished replay's checkpoint group) is still named until the next one, so read both again.
  await expect(async () => {
    const scraped = await (await request.get("/metrics")).text();
    expect((await kafka.groups()).sort()).toEqual(expect.arrayContaining([...new Set(samples(scraped, "kafka_consumergroup_members").map((s) => s.labels.consumergroup!))].sort()));
  }).toPass({ timeout: 30_000 });

  // The demo's DLQ, from the DLQ index: no record there was redriven or discarded, so its depth is
  // what the topic held when the worker last read it (at most what Kafka's own tool counts now).
  await expect.poll(async () => samples(await (await request.get("/metrics")).text(), "signalbox_dlq_depth").find((s) => s.labels.topic === "payments.DLQ")?.value ?? 0, { timeout: 60_000 }).toBeGreaterThan(0);
  body = await (await request.get("/metrics")).text();
  const depth = samples(body, "signalbox_dlq_depth").find((s) => s.labels.topic === "payments.DLQ")!.value;
  const held = (await kafka.topicOffsets("payments.DLQ")).reduce((sum, p) => sum + p.end, 0);
  expect(depth).toBeLessThanOrEqual(held);
  expect(samples(body, "signalbox_dlq_growing").find((s) => s.labels.topic === "payments.DLQ")?.value).toBe(1);

  // The demo shop's outbox, from the outbox monitor: readable, its relay keeping up.
  const outbox = (name: string) => samples(body, name).find((s) => s.labels.outbox === "shop")?.value;
  expect(outbox("signalbox_outbox_up")).toBe(1);
  expect(outbox("signalbox_outbox_stalled")).toBe(0);
  expect(outbox("signalbox_outbox_unpublished_rows")).toBeGreaterThanOrEqual(0);
});

test("gzips a scrape at zlib's fastest level, as Prometheus asks for it", async ({ baseURL }) => {
  // Node's http client, not Playwright's: it hands over the bytes as sent, still compressed.
  const { cookies } = JSON.parse(readFileSync(ADMIN_STATE, "utf8")) as { cookies: { name: string; value: string }[] };
  const { headers, raw } = await new Promise<{ headers: http.IncomingHttpHeaders; raw: Buffer }>((resolve, reject) => {
    const call = http.get(new URL("/metrics", baseURL), { headers: { "accept-encoding": "gzip", cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ headers: response.headers, raw: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    call.on("error", reject);
  });
  expect(headers["content-encoding"]).toBe("gzip");
  // Where the scrape's time went on the server, for whoever wonders why a scrape is slow.
  expect(headers["server-timing"]).toMatch(/^auth;dur=[\d.]+, read;dur=[\d.]+, render;dur=[\d.]+$/);
  // The gzip header's XFL byte is 4 when the compressor ran at its fastest level (RFC 1952, 2.3.1);
  // at zlib's default level (Next's own default, 0.5 s of CPU for a 44 MB scrape) it is 0.
  expect(raw[8]).toBe(4);
  expect(gunzipSync(raw).toString("utf8")).toContain("# TYPE kafka_consumergroup_lag gauge");
});
