// Integration: the message browser and trace on a real broker. Awkward records (binary, 5 MB, no
// key, a <script> payload, duplicate and binary headers, the Confluent wire format), server-side
// filters, pages forward and back, live tail; scan budgets; and the demo's order flow traced end to end.
import { beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { encodeConfluentFrame } from "~/lib/wire-format";
import { createProducer, ensureTopics, type OutgoingRecord } from "~/server/broker";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { startDemoSystem } from "~/demo/system";
import type { ScanBudgetOptions } from "~/server/services/limits/budget";
import { messageFilterSchema } from "./filters";
import { getMessage, scanPage, tailMessages, type BrowsedMessage, type ScanDone, type ScanRequest } from "./scan";
import { traceCorrelation, traceLimitsFromEnv, type TraceResult } from "./trace";
import { registerEventType } from "~/server/services/schemas/event-types";
import { catalogValidator, setPayloadValidator } from "./validation";

const cluster = clusterFromEnv(getEnv());
const run = `it-msg-${Date.now()}`;
const awkward = `${run}-awkward`;
const many = `${run}-many`;
const FIVE_MB = 5 * 1024 * 1024;

async function page(request: Partial<ScanRequest> & { topic: string }, budget?: ScanBudgetOptions): Promise<{ messages: BrowsedMessage[]; done: ScanDone; progress: number }> {
  const messages: BrowsedMessage[] = [];
  let progress = 0;
  for await (const event of scanPage(cluster, { limit: 50, ...request }, undefined, budget)) {
    if (event.type === "messages") messages.push(...event.messages);
    if (event.type === "progress") progress += 1;
    if (event.type === "done") return { messages, done: event, progress };
  }
  throw new Error("scan ended without done");
}

beforeAll(async () => {
  await ensureTopics(cluster, [
    { topic: awkward, numPartitions: 1, configEntries: [{ name: "max.message.bytes", value: String(6 * 1024 * 1024) }] },
    { topic: many, numPartitions: 2 },
  ]);
  const producer = await createProducer(cluster);
  const int4 = Buffer.alloc(4);
  int4.writeInt32BE(3);
  await producer.send(awkward, [
    { key: Buffer.from([0xca, 0xfe]), value: Buffer.from([0xff, 0x00, 0x01, 0xfe, 0x80]) },
    { key: "big", value: JSON.stringify({ blob: "x".repeat(FIVE_MB) }) },
    { key: null, value: "no key here" },
    { key: "hostile", value: `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=1">`, headers: { "x-dup": ["one", "two"], "kafka_dlt-original-partition": int4 } },
    { key: "framed", value: Buffer.from(encodeConfluentFrame(17, Buffer.from('{"ok":true}'))) },
  ]);
  const t0 = Date.now() - 60_000;
  const records: OutgoingRecord[] = Array.from({ length: 300 }, (_, i) => ({
    partition: i % 2,
    timestamp: String(t0 + i),
    key: `k-${i}`,
    value: JSON.stringify({ eventId: `e-${i}`, eventType: i % 5 === 0 ? "Rare" : "Common", data: { n: i }, metadata: { correlationId: `c-${i}` } }),
    headers: { tenant: i % 2 ? "acme" : "globex" },
  }));
  await producer.send(many, records);
  await producer.disconnect();
  // The catalog knows "Rare" (data.n must be 0) but not "Common". Registered before any scan, since
  // validators cache an event type's schemas for a few seconds, including its absence.
  const architect = { email: "architect@signalbox.local", name: "Architect", role: "architect" as const };
  const schema = { type: "object", properties: { data: { type: "object", properties: { n: { const: 0 } } } } };
  await registerEventType(architect, cluster.name, { name: "Rare", domain: "it", owner: "it", description: "", topics: [], compatibility: null, schema: JSON.stringify(schema) });
});

closeConnectionsAfterAll(async () => {
  setPayloadValidator(null);
});

describe("message browser", () => {
  it("shows binary, 5 MB, keyless, hostile and framed records as text, cutting the big one", async () => {
    const { messages, done } = await page({ topic: awkward, start: { kind: "earliest" } });
    expect(done.exhausted).toBe(true);
    expect(messages).toHaveLength(5);
    const [binary, big, keyless, hostile, framed] = messages;
    expect(binary!.key).toMatchObject({ encoding: "binary", text: "ca fe" });
    expect(binary!.value).toMatchObject({ encoding: "binary", text: "ff 00 01 fe 80" });
    expect(big!.value.bytes).toBeGreaterThan(FIVE_MB);
    expect(big!.value.truncated).toBe(true);
    expect(big!.value.text.length).toBeLessThanOrEqual(2048);
    expect(keyless!.key.encoding).toBe("null");
    expect(keyless!.value).toMatchObject({ encoding: "text", text: "no key here" });
    expect(hostile!.value.text).toBe(`<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=1">`);
    expect(hostile!.headers.map((h) => [h.key, h.text])).toEqual([
      ["x-dup", "one"],
      ["x-dup", "two"],
      ["kafka_dlt-original-partition", "00 00 00 03"],
    ]);
    expect(hostile!.headers[2]!.number).toBe("3");
    expect(framed!.value).toMatchObject({ schemaId: 17, encoding: "json" });

    // "Show all" gets the 5 MB value whole.
    const full = await getMessage(cluster, awkward, 0, big!.offset);
    expect(full.value.truncated).toBe(false);
    expect(full.value.text.length).toBeGreaterThan(FIVE_MB);
  });

  it("filters on the server and pages forward and back without gaps or repeats", async () => {
    const filter = messageFilterSchema.parse({ eventType: "Rare", headerName: "tenant", headerValue: "globex" });
    // i % 5 === 0 and even: i % 10 === 0 → 30 records, all in partition 0.
    const first = await page({ topic: many, start: { kind: "earliest" }, filter, limit: 12 });
    expect(first.messages).toHaveLength(12);
    expect(first.messages.every((m) => m.envelope.eventType === "Rare" && m.partition === 0)).toBe(true);
    const second = await page({ topic: many, cursor: first.done.after, filter, limit: 12 });
    const third = await page({ topic: many, cursor: second.done.after, filter, limit: 12 });
    expect(third.messages).toHaveLength(6);
    expect(third.done.exhausted).toBe(true);
    const seen = [...first.messages, ...second.messages, ...third.messages].map((m) => m.envelope.eventId);
    expect(new Set(seen).size).toBe(30);
    expect(third.done.scanned + second.done.scanned + first.done.scanned).toBeLessThanOrEqual(300);

    // Back from the third page returns the second page's records.
    const back = await page({ topic: many, cursor: third.done.before, filter, limit: 12 });
    expect(back.messages.map((m) => m.envelope.eventId)).toEqual(second.messages.map((m) => m.envelope.eventId));

    // "Latest" reads backwards: the newest matches, oldest first.
    const latest = await page({ topic: many, start: { kind: "latest" }, filter: messageFilterSchema.parse({ jsonPath: "data.n", jsonOperator: ">", jsonValue: "289" }), limit: 5 });
    expect(latest.messages.map((m) => m.envelope.eventId).sort()).toEqual(["e-295", "e-296", "e-297", "e-298", "e-299"]);
    const older = await page({ topic: many, cursor: latest.done.before, filter: messageFilterSchema.parse({ jsonPath: "data.n", jsonOperator: ">", jsonValue: "289" }), limit: 5 });
    expect(older.messages.map((m) => m.envelope.eventId).sort()).toEqual(["e-290", "e-291", "e-292", "e-293", "e-294"]);
  });

  it("shows a validation badge when a validator answers", async () => {
    setPayloadValidator(async (eventType, value) => (eventType === "Rare" ? { status: (value as { data: { n: number } }).data.n === 0 ? "valid" : "invalid", errors: [] } : null));
    const { messages } = await page({ topic: many, start: { kind: "offset", offset: 0 }, partitions: [0], limit: 6 });
    expect(messages[0]!.validation?.status).toBe("valid");
    expect(messages[1]!.validation).toBeNull();
    expect(messages[5]!.validation?.status).toBe("invalid");
    setPayloadValidator(null);
  });

  it("validates against the schema catalog: a badge for a known event type, with the error path; none for an unknown one", async () => {
    setPayloadValidator(catalogValidator);
    const { messages } = await page({ topic: many, start: { kind: "offset", offset: 0 }, partitions: [0], limit: 6 });
    expect(messages[0]!.validation?.status).toBe("valid");
    expect(messages[1]!.validation).toBeNull(); // "Common" is not in the catalog
    expect(messages[5]!.validation).toMatchObject({ status: "invalid", errors: [{ path: "/data/n" }] });
    setPayloadValidator(null);
  });

  it("tails new records as they arrive, filtered", async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const tail = (async () => {
      for await (const event of tailMessages(cluster, { topic: many, filter: messageFilterSchema.parse({ key: "live-2" }) }, controller.signal)) {
        if (event.type === "messages") seen.push(...event.messages.map((m) => m.key.text));
        if (seen.length > 0) controller.abort();
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    const producer = await createProducer(cluster);
    await producer.send(many, [{ key: "live-1", value: "a" }, { key: "live-2", value: "b" }]);
    await producer.disconnect();
    await tail;
    expect(seen).toEqual(["live-2"]);
  });

  it("stops a forward page at its record budget with what it found and where to continue, without gaps or repeats", async () => {
    // 300 records over two partitions; "Rare" is every fifth (60 in all, 30 per partition).
    const filter = messageFilterSchema.parse({ eventType: "Rare" });
    const budget = { maxRecords: 100, maxMs: 600_000 };
    const first = await page({ topic: many, start: { kind: "earliest" }, filter, limit: 500 }, budget);
    expect(first.done.scanned).toBe(100);
    expect(first.done.exhausted).toBe(false);
    expect(first.done.budgetReached).toMatchObject({ reason: "records", limit: 100, variable: "SCAN_MAX_RECORDS" });
    expect(first.done.budgetReached!.message).toContain("SCAN_MAX_RECORDS=100");
    // The partial result is kept: every match among the 100 records read.
    expect(first.messages.length).toBeGreaterThan(0);
    expect(first.messages.every((m) => m.envelope.eventType === "Rare")).toBe(true);
    const reached = first.done.budgetReached!.continueWith;
    expect(reached).toEqual(first.done.after);
    expect(reached.positions.reduce((sum, p) => sum + p.offset, 0)).toBe(100);
    // Each partition's position is just past the last record read there, so matches below it are all shown.
    for (const m of first.messages) expect(m.offset).toBeLessThan(reached.positions.find((p) => p.partition === m.partition)!.offset);

    const rest = await page({ topic: many, cursor: reached, filter, limit: 500 }, { maxRecords: 1000, maxMs: 600_000 });
    expect(rest.done.budgetReached).toBeNull();
    expect(rest.done.exhausted).toBe(true);
    // The tail test may have added a few records; whatever the topic holds was read exactly once.
    const total = rest.done.bounds.reduce((sum, b) => sum + b.end - b.start, 0);
    expect(rest.done.scanned).toBe(total - 100);
    const ids = [...first.messages, ...rest.messages].map((m) => m.envelope.eventId);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });

  it("stops a backward page at its budget between partitions and continues older from there", async () => {
    const filter = messageFilterSchema.parse({ eventType: "Rare" });
    // Partition 0's records (150, plus any the tail test added) fit in one backward window; the
    // budget is spent after it, so partition 1 is not read.
    const first = await page({ topic: many, start: { kind: "latest" }, filter, limit: 500 }, { maxRecords: 100, maxMs: 600_000 });
    const [p0, p1] = first.done.bounds;
    expect(first.done.scanned).toBe(p0!.end);
    expect(first.done.exhausted).toBe(false);
    expect(first.done.budgetReached).toMatchObject({ reason: "records", variable: "SCAN_MAX_RECORDS" });
    expect(first.messages.map((m) => m.partition)).toEqual(Array(30).fill(0));
    const older = first.done.budgetReached!.continueWith;
    expect(older).toEqual({ direction: "backward", positions: [{ partition: 0, offset: 0 }, { partition: 1, offset: p1!.end }] });
    const rest = await page({ topic: many, cursor: older, filter, limit: 500 }, { maxRecords: 1000, maxMs: 600_000 });
    expect(rest.done.budgetReached).toBeNull();
    expect(rest.done.exhausted).toBe(true);
    expect(rest.messages.map((m) => m.partition)).toEqual(Array(30).fill(1));
  });

  it("reports no budget stop when the page fills up or the topic ends within the budget", async () => {
    const full = await page({ topic: many, start: { kind: "earliest" }, limit: 10 }, { maxRecords: 10, maxMs: 600_000 });
    expect(full.messages).toHaveLength(10);
    expect(full.done.budgetReached).toBeNull();
    // A budget of exactly the topic's size: the last allowed record is the last record.
    const total = full.done.bounds.reduce((sum, b) => sum + b.end - b.start, 0);
    const all = await page({ topic: many, start: { kind: "earliest" }, limit: 500 }, { maxRecords: total, maxMs: 600_000 });
    expect(all.done.exhausted).toBe(true);
    expect(all.done.budgetReached).toBeNull();
  });

  it("names the problem with a bad topic or partition", async () => {
    await expect(page({ topic: `${run}-missing` })).rejects.toThrow(/does not exist|not found/i);
    await expect(page({ topic: many, partitions: [7] })).rejects.toThrow(/has no partition 7/);
  });
});

describe("trace", () => {
  it("stops at its budget with the events found so far and where it stopped", async () => {
    const window = { from: Date.now() - 10 * 60_000, to: Date.now() + 60_000 };
    const run = async (maxRecords: number, id: string) => {
      let result: TraceResult | null = null;
      for await (const event of traceCorrelation(cluster, { id, ...window, topics: [many, awkward] }, undefined, { ...traceLimitsFromEnv(), budget: { maxRecords, maxMs: 600_000 } })) if (event.type === "done") result = event.result;
      return result!;
    };
    // c-8 is record 8: partition 0, offset 4. 100 records read partition 0's first rounds and stop inside "many".
    const cut = await run(100, "c-8");
    expect(cut.scanned).toBe(100);
    expect(cut.budgetReached).toMatchObject({ reason: "records", limit: 100, variable: "SCAN_MAX_RECORDS", topic: many, topicsNotSearched: [awkward] });
    expect(cut.budgetReached!.positions.reduce((sum, p) => sum + p.offset, 0)).toBe(100);
    expect(cut.timeline.map((e) => e.eventId)).toEqual(["e-8"]);

    const whole = await run(1000, "c-8");
    expect(whole.budgetReached).toBeNull();
    expect(whole.scanned).toBeGreaterThanOrEqual(305);
    expect(whole.timeline.map((e) => e.eventId)).toEqual(["e-8"]);
  });

  it("refuses more topics than TRACE_MAX_TOPICS, and a window longer than TRACE_MAX_WINDOW_MS", async () => {
    const limits = { ...traceLimitsFromEnv(), maxTopics: 1, maxWindowMs: 60_000 };
    const drain = async (request: Parameters<typeof traceCorrelation>[1]) => {
      for await (const _ of traceCorrelation(cluster, request, undefined, limits)) void _;
    };
    await expect(drain({ id: "c-1", from: 0, to: 1000, topics: [many, awkward] })).rejects.toMatchObject({ code: "BAD_REQUEST", userMessage: expect.stringContaining("TRACE_MAX_TOPICS=1") });
    await expect(drain({ id: "c-1", from: 0, to: 1000 })).rejects.toMatchObject({ code: "BAD_REQUEST", userMessage: expect.stringContaining("Name the topics to search") });
    await expect(drain({ id: "c-1", from: 0, to: 60_001, topics: [many] })).rejects.toMatchObject({ code: "BAD_REQUEST", userMessage: expect.stringContaining("TRACE_MAX_WINDOW_MS=60000") });
  });

  it("follows the demo's order flow from OrderPlaced to NotificationSent, as a causal tree", async () => {
    const demoCluster = { ...cluster, name: `${cluster.name}-demo` };
    const from = Date.now() - 1000;
    const demo = await startDemoSystem(demoCluster, { ordersPerSec: 5, paymentFailureRate: 0, paymentDeclineRate: 0, notificationDelayMs: 0 });
    let result: TraceResult | null = null;
    try {
      let order: BrowsedMessage | undefined;
      for (let attempt = 0; attempt < 40 && !order; attempt += 1) {
        order = (await page({ topic: "orders", start: { kind: "timestamp", timestamp: from }, limit: 1 })).messages[0];
        if (!order) await new Promise((r) => setTimeout(r, 250));
      }
      if (!order) throw new Error("the demo published no order");
      expect(order.envelope.eventType).toBe("OrderPlaced");
      // Downstream services need a moment; trace until the notification shows up.
      for (let attempt = 0; attempt < 40; attempt += 1) {
        // Named topics: the shared test broker may hold more topics than TRACE_MAX_TOPICS.
        for await (const event of traceCorrelation(cluster, { id: order.envelope.eventId!, from, to: Date.now() + 1000, topics: ["orders", "payments", "inventory", "notifications"] })) if (event.type === "done") result = event.result;
        const types = new Set(result!.timeline.map((e) => e.eventType));
        if (types.has("NotificationSent") && types.has("StockReserved") && types.has("PaymentSucceeded") && result!.timeline.length >= 5) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await demo.stop();
    }
    const trace = result!;
    expect(trace.timeline[0]!.eventType).toBe("OrderPlaced");
    expect(trace.timeline.map((e) => e.eventType)).toEqual(expect.arrayContaining(["OrderPlaced", "PaymentSucceeded", "StockReserved", "NotificationSent"]));
    expect(new Set(trace.timeline.map((e) => e.topic))).toEqual(new Set(["orders", "payments", "inventory", "notifications"]));
    expect(trace.tree).toHaveLength(1);
    const root = trace.tree[0]!;
    expect(root.event.eventType).toBe("OrderPlaced");
    expect(root.event.source).toBe("order-service");
    const childTypes = root.children.map((c) => c.event.eventType).sort();
    expect(childTypes).toEqual(expect.arrayContaining(["NotificationSent", "PaymentSucceeded"]));
    // The saga goes on from the payment: inventory reserves stock once the order is paid, and the
    // payment's notification hangs under the payment too.
    const payment = root.children.find((c) => c.event.eventType === "PaymentSucceeded")!;
    expect(payment.children.map((c) => c.event.eventType).sort()).toEqual(["NotificationSent", "StockReserved"]);
    expect(payment.event.latencyFrom).toBe("cause");
    expect(payment.event.latencyMs).toBeGreaterThanOrEqual(0);
    expect(trace.correlationId).toBe(root.event.eventId);
    // No duplicates in this run (no DEMO_DUPLICATE_RATE), so nothing to report.
    expect(trace.findings).toEqual({ redelivered: [], repeatedResults: [] });
  });
});
