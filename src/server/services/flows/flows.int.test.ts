// Integration: the flow monitor on a real broker and PostgreSQL. An architect declares a flow (the
// catalog refuses unknown event types); events of five sagas go to real topics (completed,
// compensated, stuck, dead-lettered, delivered twice); the monitor's rounds count them, a new
// monitor (a restarted worker) goes on from the stored state without counting anything twice, the
// FLOW_STUCK rule fires, /metrics' families add up, and an unknown causation chain is proposed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { createEnvelope, envelopeHeaders, type EventEnvelope } from "~/lib/envelope";
import { sleep } from "~/lib/time";
import { createProducer, deleteTopics, ensureTopics, type RecordProducer } from "~/server/broker";
import { listAlerts, listAudit } from "~/server/catalog";
import { AlertEngine } from "~/server/services/alerts/engine";
import { createRule } from "~/server/services/alerts/rules";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { bindTopics } from "~/server/services/schemas/event-types";
import { declareFlow, flowMetrics, flowProposals, getFlowDetail, removeFlow } from "./flows";
import { FlowMonitor } from "./monitor";
import { DEFAULT_TRACKER_LIMITS } from "./tracker";

const env = getEnv();
const cluster = clusterFromEnv(env);
const run = Date.now().toString(36);
const architect = { email: "architect@signalbox.local", name: "Ada Architect", role: "architect" as const };
const operator = { email: "operator@signalbox.local", name: "Olu Operator", role: "operator" as const };
const topics = { orders: `it-flow-orders-${run}`, payments: `it-flow-payments-${run}`, stock: `it-flow-stock-${run}`, dlq: `it-flow-payments-${run}.DLQ` };
const flowName = `it checkout ${run}`;
const options = { backfillMs: 1, observationEveryMs: 0 };
let producer: RecordProducer;

const definition = {
  startEventType: "OrderPlaced",
  steps: [
    { after: "OrderPlaced", next: ["PaymentSucceeded", "PaymentFailed"], sloMs: 1_000 },
    { after: "PaymentSucceeded", next: ["StockReserved"], sloMs: 1_000 },
    { after: "PaymentFailed", next: ["OrderCancelled"], sloMs: 1_000 },
  ],
  compensations: ["OrderCancelled"],
  completedOn: ["StockReserved"],
  compensatedOn: ["OrderCancelled"],
  endToEndSloMs: 60_000,
};

async function send(topic: string, event: EventEnvelope, key: string): Promise<void> {
  await producer.send(topic, [{ key, value: JSON.stringify(event), headers: envelopeHeaders(event) }]);
}

/** A saga's next event, caused by the previous one. */
const next = (eventType: string, cause: EventEnvelope, source = "it-service") => createEnvelope({ eventType, source, causedBy: cause, data: { orderId: cause.data } });

beforeAll(async () => {
  await ensureTopics(cluster, Object.values(topics).map((topic) => ({ topic, numPartitions: topic === topics.dlq ? 1 : 2 })));
  for (const [type, topic] of [["OrderPlaced", topics.orders], ["OrderCancelled", topics.orders], ["PaymentSucceeded", topics.payments], ["PaymentFailed", topics.payments], ["StockReserved", topics.stock]] as const) {
    await bindTopics(architect, cluster.name, type, [topic]);
  }
  producer = await createProducer(cluster);
});

afterAll(async () => {
  await producer?.disconnect();
  await removeFlow(architect, cluster.name, flowName).catch(() => undefined);
  await deleteTopics(cluster, Object.values(topics)).catch(() => undefined);
});

closeConnectionsAfterAll();

describe("the flow monitor", () => {
  it("refuses a declaration that names an event type the catalog lacks, and audits the one it takes", async () => {
    await expect(declareFlow(architect, cluster.name, { name: `${flowName} bad`, description: "", definition: { ...definition, completedOn: ["StockReserved"], steps: [...definition.steps, { after: "StockReserved", next: [`NoSuchEvent${run}`], sloMs: 1000 }] } })).rejects.toThrow(
      `Not in the catalog: NoSuchEvent${run}`,
    );
    await declareFlow(architect, cluster.name, { name: flowName, description: "integration", definition });
    await expect(declareFlow(architect, cluster.name, { name: flowName, description: "", definition })).rejects.toThrow("already exists");
    const audit = await listAudit({ limit: 20 });
    expect(audit.some((a) => a.action === "flow.declare" && a.targetId === `${cluster.name}/${flowName}`)).toBe(true);
  });

  it("counts completed, compensated, stuck, dead-lettered and duplicated sagas; a restarted monitor goes on without counting twice", async () => {
    const monitor = new FlowMonitor(cluster, options);
    await monitor.round(); // Positions at the topics' ends: only what follows is counted.

    const placed = (id: string) => createEnvelope({ eventType: "OrderPlaced", source: "order-service", data: id });
    const completed = placed("completed");
    const compensated = placed("compensated");
    const stuck = placed("stuck");
    const deadLettered = placed("dead-lettered");
    const twice = placed("twice");
    for (const order of [completed, compensated, stuck, deadLettered, twice]) await send(topics.orders, order, order.eventId);
    await send(topics.orders, twice, twice.eventId); // at-least-once: the relay sent it again
    const paid = next("PaymentSucceeded", completed);
    await send(topics.payments, paid, completed.eventId);
    await send(topics.stock, next("StockReserved", paid), completed.eventId);
    const declined = next("PaymentFailed", compensated);
    await send(topics.payments, declined, compensated.eventId);
    await send(topics.orders, next("OrderCancelled", declined), compensated.eventId);
    const stuckPaid = next("PaymentSucceeded", stuck);
    await send(topics.payments, stuckPaid, stuck.eventId);
    await producer.send(topics.dlq, [{ key: deadLettered.eventId, value: JSON.stringify(deadLettered), headers: { ...envelopeHeaders(deadLettered), "x-exception-message": "boom" } }]);
    const twicePaid = next("PaymentSucceeded", twice);
    await send(topics.payments, twicePaid, twice.eventId);
    await send(topics.stock, next("StockReserved", twicePaid), twice.eventId);
    // An unknown chain, to be proposed: six returns requested and shipped.
    for (let i = 0; i < 6; i++) {
      const requested = createEnvelope({ eventType: `ItReturnRequested${run}`, source: "returns", data: i });
      await send(topics.payments, requested, requested.eventId);
      await send(topics.payments, next(`ItReturnShipped${run}`, requested, "returns"), requested.eventId);
    }

    // Events are applied once every topic has been read past them (the watermark trails the reads by 1 s).
    await monitor.round();
    // The stuck saga waits past its step's 1 s SLO.
    await sleep(2_500);
    const result = await monitor.round();
    const detail = await getFlowDetail(cluster.name, flowName, "1h");
    expect(detail.window).toMatchObject({ started: 5, completed: 2, compensated: 1, failed: 1, duplicates: 1 });
    expect(detail.problems.map((p) => [p.correlationId, p.state]).sort()).toEqual([[deadLettered.eventId, "FAILED"], [stuck.eventId, "STUCK"]].sort());
    const stuckOne = detail.problems.find((p) => p.correlationId === stuck.eventId)!;
    expect(stuckOne.detail.waiting).toEqual([expect.objectContaining({ after: "PaymentSucceeded", next: ["StockReserved"], overdue: true })]);
    expect(detail.problems.find((p) => p.correlationId === deadLettered.eventId)!.detail.deadLetter).toMatchObject({ topic: topics.dlq, offset: 0 });
    expect(detail.edges.find((e) => e.after === "OrderPlaced" && e.next === "PaymentSucceeded")!.count).toBe(3);
    expect(detail.edges.find((e) => e.next === "OrderCancelled")).toMatchObject({ count: 1, compensation: true });
    expect(detail.topics.find((t) => t.topic === topics.orders)).toMatchObject({ duplicates: 1 });
    expect(result.health.find((h) => h.name === flowName)).toMatchObject({ stuck: 2, finished: 3 });

    // FLOW_STUCK fires on the round's health.
    const rule = await createRule(operator, cluster.name, { name: `Stuck ${run}`, kind: "FLOW_STUCK", groupPattern: flowName, threshold: 0, forMinutes: 0, webhookUrl: null, enabled: true });
    await new AlertEngine().onFlows({ cluster: cluster.name, takenAt: result.takenAt, flows: result.health });
    const alerts = await listAlerts(cluster.name, 50);
    expect(alerts.some((a) => a.ruleId === rule.id && a.groupId === flowName && a.state === "FIRING")).toBe(true);

    // The chain nobody declared is proposed; a restarted monitor's first, smaller sample does not replace it.
    const proposals = await flowProposals(cluster.name);
    const returns = proposals.proposals.find((p) => p.definition.startEventType === `ItReturnRequested${run}`);
    expect(returns?.definition.steps).toEqual([expect.objectContaining({ after: `ItReturnRequested${run}`, next: [`ItReturnShipped${run}`] })]);
    expect(returns?.definition.completedOn).toEqual([`ItReturnShipped${run}`]);

    // A restarted worker: a new monitor takes back the open instances, and the saga goes on.
    const restarted = new FlowMonitor(cluster, options);
    await send(topics.stock, next("StockReserved", stuckPaid), stuck.eventId);
    await sleep(1_500);
    await restarted.round();
    const after = await getFlowDetail(cluster.name, flowName, "1h");
    expect(after.window).toMatchObject({ started: 5, completed: 3, compensated: 1, failed: 1, duplicates: 1 });
    expect(after.problems.map((p) => p.correlationId)).toEqual([deadLettered.eventId]);

    // /metrics' counters say the same.
    const [metrics] = (await flowMetrics(cluster.name)).filter((m) => m.name === flowName);
    expect(metrics!.totals).toMatchObject({ started: 5, completed: 3, compensated: 1, failed: 1, duplicates: 1 });
    expect(metrics!.open.FAILED).toBe(1);
    expect(metrics!.e2e.counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect((await flowProposals(cluster.name)).proposals.some((p) => p.definition.startEventType === `ItReturnRequested${run}`)).toBe(true);

    // Past the open-instances cap the oldest are given up on: they have ended, and no longer count as open.
    const capped = new FlowMonitor(cluster, { ...options, limits: { ...DEFAULT_TRACKER_LIMITS, maxOpenPerFlow: 1 } });
    for (const order of [placed("capped-1"), placed("capped-2")]) await send(topics.orders, order, order.eventId);
    await sleep(1_500);
    await capped.round();
    const [afterCap] = (await flowMetrics(cluster.name)).filter((m) => m.name === flowName);
    // capped-2 is the one open instance: RUNNING, or STUCK once the round ran past its 1 s step SLO (a slow machine).
    expect(afterCap!.open.FAILED).toBe(0);
    expect(afterCap!.open.RUNNING + afterCap!.open.STUCK).toBe(1);
    // The dead-lettered one was counted failed already; only capped-1 adds to it.
    expect(afterCap!.totals.failed).toBe(2);

  });
});
