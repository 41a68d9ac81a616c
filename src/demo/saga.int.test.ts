// Integration: the demo's order saga on the real broker, with order-service's outbox in a real
// PostgreSQL database of its own. What must hold, read back with kcat:
// - every order the shop stored reached Kafka through the outbox, and no row stays unpublished;
// - both compensations run with their causation chains intact (declined: PaymentFailed →
//   OrderCancelled; no stock: PaymentSucceeded → StockReservationFailed → PaymentRefunded →
//   OrderCancelled), and the shop's database says "CANCELLED" for exactly the cancelled orders;
// - duplicated deliveries happen, idempotent consumers (payment-, inventory-service) answer each
//   order once, and the non-idempotent notification-service shows its duplicates.
// The demo's topics are shared with other files' demo runs, so only this run's orders count: the
// ones in this run's shop database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDatabase, shopDatabaseUrl } from "../../scripts/lib/database";
import { kcatConsume } from "../../scripts/lib/kcat";
import { closeConnectionsAfterAll } from "../../scripts/lib/test-support";
import { getEnv } from "~/env";
import { parseEnvelope, type EventEnvelope } from "~/lib/envelope";
import { sleep } from "~/lib/time";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { traceCorrelation, type TraceResult } from "~/server/services/messages/trace";
import { DEMO_TOPICS } from "./order-flow";
import { openShopDatabase, type ShopDatabase } from "./shop-database";
import { startDemoSystem, type DemoStats } from "./system";

const env = getEnv();
const cluster = { ...clusterFromEnv(env), name: `${clusterFromEnv(env).name}-saga` };
const shopUrl = shopDatabaseUrl(env.DATABASE_URL);

let stats: DemoStats;
let shop: ShopDatabase;
let orders: { id: string; status: string }[];
let unpublished: number;
const events: (EventEnvelope & { topic: string })[] = [];

beforeAll(async () => {
  await ensureDatabase(shopUrl, { reset: true });
  const demo = await startDemoSystem(cluster, {
    ordersPerSec: 25,
    paymentFailureRate: 0,
    paymentDeclineRate: 0.2,
    stockFailureRate: 0.25,
    duplicateRate: 0.2,
    notificationDelayMs: 0,
    shopDatabaseUrl: shopUrl,
    relayIntervalMs: 50,
  });
  stats = demo.stats;
  try {
    const deadline = Date.now() + 90_000;
    const enough = () => stats.ordersPlaced >= 60 && stats.paymentsRefunded >= 3 && stats.paymentsFailed >= 3 && stats.duplicatesSent >= 3;
    while (!enough() && Date.now() < deadline) await sleep(250);
    // The shop stops taking orders; the services finish the sagas in flight (the last compensations
    // go through the outbox too).
    await demo.stopOrders();
    let settled = 0;
    for (let last = -1; settled < 4 && Date.now() < deadline + 30_000; await sleep(1000)) {
      const now = stats.ordersCancelled + stats.stockReserved + stats.outboxRelayed + stats.notificationsSent;
      settled = now === last ? settled + 1 : 0;
      last = now;
    }
  } finally {
    await demo.stop();
  }

  shop = await openShopDatabase(shopUrl);
  ({ orders, unpublished } = await shop.state());
  const ours = new Set(orders.map((o) => o.id));
  const bootstrap = cluster.brokers[0]!;
  for (const topic of [DEMO_TOPICS.orders, DEMO_TOPICS.payments, DEMO_TOPICS.inventory, DEMO_TOPICS.notifications]) {
    for (const record of await kcatConsume(bootstrap, topic)) {
      const event = parseEnvelope(record.value);
      const orderId = (event?.data as { orderId?: string } | undefined)?.orderId;
      if (event && orderId && ours.has(orderId)) events.push({ ...event, topic });
    }
  }
}, 240_000);

afterAll(async () => {
  await shop?.close();
});
closeConnectionsAfterAll();

const ofType = (type: string) => events.filter((e) => e.eventType === type);
const byId = (id: string | null) => events.find((e) => e.eventId === id);

describe("the demo's order saga on a real broker, with a transactional outbox", () => {
  it("publishes every order the shop stored, through the outbox, and leaves nothing unpublished", () => {
    const placedIds = new Set(ofType("OrderPlaced").map((e) => (e.data as { orderId: string }).orderId));
    expect(orders.length).toBeGreaterThanOrEqual(60);
    expect([...placedIds].sort()).toEqual(orders.map((o) => o.id).sort());
    expect(unpublished).toBe(0);
    expect(stats.outboxRelayed).toBeGreaterThanOrEqual(orders.length);
  });

  it("compensates a declined payment: PaymentFailed → OrderCancelled, in one correlation", () => {
    const cancelled = ofType("OrderCancelled").filter((e) => byId(e.metadata.causationId)?.eventType === "PaymentFailed");
    expect(cancelled.length).toBeGreaterThanOrEqual(3);
    for (const cancel of cancelled) {
      const failed = byId(cancel.metadata.causationId)!;
      const placed = byId(failed.metadata.causationId)!;
      expect(placed.eventType).toBe("OrderPlaced");
      expect(new Set([cancel.metadata.correlationId, failed.metadata.correlationId])).toEqual(new Set([placed.eventId]));
      expect(cancel.data).toEqual({ orderId: (placed.data as { orderId: string }).orderId, reason: "payment_declined" });
    }
  });

  it("compensates missing stock after the payment: StockReservationFailed → PaymentRefunded → OrderCancelled", () => {
    const cancelled = ofType("OrderCancelled").filter((e) => byId(e.metadata.causationId)?.eventType === "PaymentRefunded");
    expect(cancelled.length).toBeGreaterThanOrEqual(3);
    for (const cancel of cancelled) {
      const chain = [cancel];
      for (let cause = byId(cancel.metadata.causationId); cause; cause = byId(cause.metadata.causationId)) chain.push(cause);
      expect(chain.map((e) => e.eventType)).toEqual(["OrderCancelled", "PaymentRefunded", "StockReservationFailed", "PaymentSucceeded", "OrderPlaced"]);
      expect(new Set(chain.map((e) => e.metadata.correlationId))).toEqual(new Set([chain.at(-1)!.eventId]));
      const paid = chain[3]!.data as { amount: number; currency: string };
      expect(chain[1]!.data).toMatchObject({ amount: paid.amount, currency: paid.currency, reason: "stock_unavailable" });
    }
  });

  it("keeps the shop's database in step: exactly the cancelled orders are CANCELLED", () => {
    const cancelledIds = new Set(ofType("OrderCancelled").map((e) => (e.data as { orderId: string }).orderId));
    expect(orders.filter((o) => o.status === "CANCELLED").map((o) => o.id).sort()).toEqual([...cancelledIds].sort());
    // One cancellation per order, even when a payment event was delivered again.
    expect(ofType("OrderCancelled")).toHaveLength(cancelledIds.size);
  });

  it("delivers some orders twice; idempotent consumers answer once, notification-service does not", () => {
    const placed = ofType("OrderPlaced");
    const copies = new Map<string, number>();
    for (const e of placed) copies.set(e.eventId, (copies.get(e.eventId) ?? 0) + 1);
    const duplicated = [...copies].filter(([, n]) => n > 1).map(([id]) => id);
    expect(duplicated.length).toBeGreaterThanOrEqual(3);
    expect(stats.duplicatesSkipped).toBeGreaterThan(0);

    const answers = (service: string, id: string) => events.filter((e) => e.source === service && e.metadata.causationId === id);
    for (const id of duplicated) {
      expect(answers("payment-service", id)).toHaveLength(1);
    }
    const notifiedTwice = duplicated.filter((id) => answers("notification-service", id).length > 1);
    expect(notifiedTwice.length).toBeGreaterThan(0);
  });

  it("shows both in the trace of a duplicated order: delivered twice, and notified twice for one cause", async () => {
    const placed = ofType("OrderPlaced");
    const twice = placed.find((e) => placed.filter((p) => p.eventId === e.eventId).length > 1 && events.filter((n) => n.source === "notification-service" && n.metadata.causationId === e.eventId).length > 1)!;
    let result: TraceResult | null = null;
    const now = Date.now();
    for await (const step of traceCorrelation(cluster, { id: twice.eventId, from: now - 10 * 60_000, to: now, topics: ["orders", "payments", "inventory", "notifications"] })) if (step.type === "done") result = step.result;
    expect(result!.findings.redelivered).toEqual([{ eventId: twice.eventId, eventType: "OrderPlaced", topic: "orders", copies: 2 }]);
    expect(result!.findings.repeatedResults).toEqual([expect.objectContaining({ causationId: twice.eventId, source: "notification-service", eventType: "NotificationSent", count: 2 })]);
  });
});
