// The demo event system: a choreographed order saga between four services over the real broker.
//
// Happy path: OrderPlaced (order-service, through its outbox) → PaymentSucceeded (payment-service)
// → StockReserved and StockAllocated (inventory-service) → NotificationSent (notification-service,
// one per order and payment event). Compensations:
// - a declined payment: PaymentFailed → OrderCancelled;
// - stock that cannot be reserved after the payment was captured: StockReservationFailed →
//   PaymentRefunded → OrderCancelled.
// Every event carries the envelope and its causation chain. With DEMO_DUPLICATE_RATE, a share of
// OrderPlaced events is delivered twice (a relay that crashed between send and mark): payment- and
// inventory-service deduplicate by event id, notification-service does not, so its duplicates show.
import { BoundedMap } from "~/lib/bounded-map";
import { createEnvelope, envelopeHeaders, parseEnvelope, type EventEnvelope } from "~/lib/envelope";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { sleep } from "~/lib/time";
import { createProducer, ensureTopics, runGroupConsumer, type ClusterConnectionConfig, type ConsumedRecord, type GroupConsumer, type RecordProducer } from "~/server/broker";
import { encodeConfluentFrame } from "~/lib/wire-format";
import { encodeWith, parseSchema } from "~/server/services/schemas/formats";
import { PAYMENT_SETTLED_AVRO, STOCK_ALLOCATED_PROTO } from "./event-schemas";
import { DEMO_TOPIC_SPECS, DEMO_TOPICS } from "./order-flow";
import { openShopDatabase, type OutboxRow, type ShopDatabase } from "./shop-database";

export interface DemoOptions {
  ordersPerSec: number;
  paymentFailureRate: number;
  paymentDeclineRate: number;
  notificationDelayMs: number;
  /** Share of captured payments whose stock cannot be reserved, so the saga refunds and cancels. Default 0. */
  stockFailureRate?: number;
  /** Share of paid orders inventory-service drops without an answer (a consumer bug): stuck sagas. */
  stockStallRate?: number;
  /** Share of OrderPlaced events delivered twice (at-least-once delivery). Default 0. */
  duplicateRate?: number;
  /** order-service's own database: orders and events go through its transactional outbox and a relay. Without it, order-service sends directly. */
  shopDatabaseUrl?: string | null;
  /** How often the outbox relay looks for unpublished rows. Default 200 ms. */
  relayIntervalMs?: number;
  /** Share of OrderPlaced events sent broken (a string total, or no customerId), so conformance has something to find. Default 0. */
  nonConformingRate?: number;
  /** The registry id of StockAllocated's .proto: inventory-service sends a Protobuf StockAllocated per order when set. */
  stockAllocatedSchemaId?: number | null;
  /** The registry id of PaymentSettled's Avro schema: payment-service sends an Avro PaymentSettled after each captured payment when set. */
  paymentSettledSchemaId?: number | null;
  random?: () => number;
}

export interface DemoStats {
  ordersPlaced: number;
  ordersCancelled: number;
  paymentsSucceeded: number;
  paymentsFailed: number;
  paymentsRefunded: number;
  paymentsSettled: number;
  deadLettered: number;
  stockReserved: number;
  stockReservationsFailed: number;
  stockStalled: number;
  stockAllocated: number;
  notificationsSent: number;
  nonConforming: number;
  /** Deliveries sent a second time on purpose. */
  duplicatesSent: number;
  /** Duplicates an idempotent consumer recognised and skipped. */
  duplicatesSkipped: number;
  /** Outbox rows the relay published. */
  outboxRelayed: number;
}

const PROCESSING_ERRORS = [
  { errorClass: "PaymentGatewayTimeoutException", message: "Payment gateway did not answer within 3000 ms" },
  { errorClass: "CardTokenExpiredException", message: "Card token has expired for customer" },
  { errorClass: "CurrencyNotSupportedException", message: "Currency CHF is not supported by the acquirer" },
] as const;

const SKUS = ["sku-kettle", "sku-teapot", "sku-mug", "sku-beans-1kg", "sku-grinder"];
const CHANNELS = ["web", "app", "store"] as const;
/** How many event ids, orders and payments each service remembers: enough for minutes of demo traffic, bounded for days. */
const MEMORY = 20_000;
const OUTBOX_KEEP_MS = 10 * 60_000;

type LineItem = { sku: string; quantity: number; unitPrice?: number };

function serviceCluster(cluster: ClusterConnectionConfig, service: string): ClusterConnectionConfig {
  // A client per service, so Kafka's tools show each service's own client id.
  return { ...cluster, name: `${cluster.name}:${service}`, clientId: service };
}

function toRecord(envelope: EventEnvelope, key: string) {
  return { key, value: JSON.stringify(envelope), headers: envelopeHeaders(envelope) };
}

export async function startDemoSystem(cluster: ClusterConnectionConfig, options: DemoOptions) {
  const random = options.random ?? Math.random;
  const stats: DemoStats = {
    ordersPlaced: 0,
    ordersCancelled: 0,
    paymentsSucceeded: 0,
    paymentsFailed: 0,
    paymentsRefunded: 0,
    paymentsSettled: 0,
    deadLettered: 0,
    stockReserved: 0,
    stockReservationsFailed: 0,
    stockStalled: 0,
    stockAllocated: 0,
    notificationsSent: 0,
    nonConforming: 0,
    duplicatesSent: 0,
    duplicatesSkipped: 0,
    outboxRelayed: 0,
  };
  await ensureTopics(cluster, DEMO_TOPIC_SPECS);
  const shop: ShopDatabase | null = options.shopDatabaseUrl ? await openShopDatabase(options.shopDatabaseUrl) : null;

  const producers: RecordProducer[] = [];
  const consumers: GroupConsumer[] = [];
  const stopping = new AbortController();
  const ordersStopping = new AbortController();
  const loops: Promise<void>[] = [];
  const producerFor = async (service: string) => {
    const producer = await createProducer(serviceCluster(cluster, service));
    producers.push(producer);
    return producer;
  };
  const consume = async (service: string, topics: string[], eachEvent: (event: EventEnvelope, record: ConsumedRecord) => Promise<void>) => {
    consumers.push(
      await runGroupConsumer(serviceCluster(cluster, service), {
        groupId: service,
        topics,
        eachRecord: async (record) => {
          // Binary records (the Avro and Protobuf events) are for other readers.
          const event = parseEnvelope(record.value);
          if (event) await eachEvent(event, record);
        },
      }),
    );
  };
  /** True the first time an event id is seen: an idempotent consumer skips redeliveries. */
  const firstDelivery = (seen: BoundedMap<string, true>, event: EventEnvelope) => {
    if (seen.has(event.eventId)) {
      stats.duplicatesSkipped += 1;
      return false;
    }
    seen.set(event.eventId, true);
    return true;
  };

  // order-service: places orders and cancels them when the saga compensates. Its events go through
  // the outbox when it has a database: the order row and its event commit together.
  const orderProducer = await producerFor("order-service");
  const sendOrderEvents = async (events: { event: EventEnvelope; key: string }[]) => {
    const records = events.flatMap(({ event, key }) => {
      const record = toRecord(event, key);
      if (event.eventType === "OrderPlaced" && random() < (options.duplicateRate ?? 0)) {
        stats.duplicatesSent += 1;
        return [record, record];
      }
      return [record];
    });
    await orderProducer.send(DEMO_TOPICS.orders, records);
  };
  const cancelledWithoutShop = new BoundedMap<string, true>(MEMORY);
  const recordOrderEvent = async (event: EventEnvelope, orderId: string, order?: { customerId: string | null; total: number | null; currency: string }) => {
    if (!shop) {
      if (event.eventType === "OrderCancelled") {
        if (cancelledWithoutShop.has(orderId)) return false;
        cancelledWithoutShop.set(orderId, true);
      }
      await sendOrderEvents([{ event, key: orderId }]);
      return true;
    }
    if (order) {
      await shop.placeOrder({ id: orderId, ...order }, event);
      return true;
    }
    return shop.cancelOrder(orderId, event);
  };
  if (shop) {
    const relay = async () => {
      const intervalMs = options.relayIntervalMs ?? 200;
      let lastPrune = Date.now();
      while (!stopping.signal.aborted) {
        try {
          const relayed = await shop.relayBatch(500, (rows: OutboxRow[]) => sendOrderEvents(rows.map((row) => ({ event: row.payload, key: row.aggregateid }))));
          stats.outboxRelayed += relayed;
          if (relayed === 500) continue;
          if (Date.now() - lastPrune > 60_000) {
            lastPrune = Date.now();
            await shop.prune(OUTBOX_KEEP_MS);
          }
        } catch {
          // The broker or the database is away: the rows stay unpublished and are taken again.
        }
        await sleep(intervalMs, stopping.signal);
      }
    };
    loops.push(relay());
  }
  await consume("order-service", [DEMO_TOPICS.payments], async (payment) => {
    if (payment.eventType !== "PaymentFailed" && payment.eventType !== "PaymentRefunded") return;
    const { orderId } = payment.data as { orderId: string };
    const reason = payment.eventType === "PaymentFailed" ? "payment_declined" : "stock_unavailable";
    const cancelled = createEnvelope({ eventType: "OrderCancelled", source: "order-service", causedBy: payment, data: { orderId, reason } });
    if (await recordOrderEvent(cancelled, orderId)) stats.ordersCancelled += 1;
    else stats.duplicatesSkipped += 1;
  });

  // payment-service: charges each order (a share fails in processing and is dead-lettered), and
  // refunds a captured payment when the stock cannot be reserved.
  const paymentProducer = await producerFor("payment-service");
  const parsedAvro = parseSchema("AVRO", JSON.stringify(PAYMENT_SETTLED_AVRO));
  const settledAvro = parsedAvro.ok ? parsedAvro : null;
  const paymentSeen = new BoundedMap<string, true>(MEMORY);
  const captured = new BoundedMap<string, { amount: number; currency: string }>(MEMORY);
  await consume("payment-service", [DEMO_TOPICS.orders, DEMO_TOPICS.inventory], async (event, record) => {
    if (event.eventType === "StockReservationFailed") {
      if (!firstDelivery(paymentSeen, event)) return;
      const { orderId } = event.data as { orderId: string };
      const payment = captured.get(orderId);
      if (!payment) return;
      captured.delete(orderId);
      const refunded = createEnvelope({ eventType: "PaymentRefunded", source: "payment-service", causedBy: event, data: { orderId, amount: payment.amount, currency: payment.currency, reason: "stock_unavailable" } });
      await paymentProducer.send(DEMO_TOPICS.payments, [toRecord(refunded, orderId)]);
      stats.paymentsRefunded += 1;
      return;
    }
    if (event.eventType !== "OrderPlaced" || !firstDelivery(paymentSeen, event)) return;
    const order = event;
    const key = record.key?.toString() ?? order.eventId;
    if (random() < options.paymentFailureRate) {
      const failure = PROCESSING_ERRORS[Math.floor(random() * PROCESSING_ERRORS.length)]!;
      await paymentProducer.send(DEMO_TOPICS.paymentsDlq, [
        {
          key: record.key,
          value: record.value,
          headers: {
            ...originalHeaders(record),
            ...signalboxDlqHeaders({ topic: record.topic, partition: record.partition, offset: record.offset }, { ...failure, attempts: 3 }),
          },
        },
      ]);
      stats.deadLettered += 1;
      return;
    }
    const declined = random() < options.paymentDeclineRate;
    const data = order.data as { orderId: string; total: number | string; currency: string };
    const payment = createEnvelope({
      eventType: declined ? "PaymentFailed" : "PaymentSucceeded",
      source: "payment-service",
      causedBy: order,
      data: declined ? { orderId: data.orderId, reason: "card_declined" } : { orderId: data.orderId, amount: Number(data.total), currency: data.currency },
    });
    await paymentProducer.send(DEMO_TOPICS.payments, [toRecord(payment, key)]);
    if (declined) {
      stats.paymentsFailed += 1;
      return;
    }
    stats.paymentsSucceeded += 1;
    const paid = payment.data as { orderId: string; amount: number; currency: string };
    captured.set(paid.orderId, { amount: paid.amount, currency: paid.currency });
    if (settledAvro && options.paymentSettledSchemaId && Number.isFinite(paid.amount)) {
      const settled = createEnvelope({ eventType: "PaymentSettled", source: "payment-service", causedBy: payment, data: { orderId: paid.orderId, amountMinor: Math.round(paid.amount * 100), currency: paid.currency } });
      // Avro's JSON encoding names a union's non-null branch: causationId ["null","string"] is {"string": id}.
      const { causationId } = settled.metadata;
      const avroValue = { ...settled, metadata: { correlationId: settled.metadata.correlationId, causationId: causationId === null ? null : { string: causationId } } };
      const value = encodeConfluentFrame(options.paymentSettledSchemaId, encodeWith(settledAvro, avroValue));
      await paymentProducer.send(DEMO_TOPICS.payments, [{ key, value: Buffer.from(value), headers: envelopeHeaders(settled) }]);
      stats.paymentsSettled += 1;
    }
  });

  // inventory-service: reserves stock once an order is paid, then allocates it (in Protobuf). It
  // keeps the lines of recent orders (its own read model of the orders topic) because the payment
  // does not carry them; a payment that arrives before its order waits for it.
  const inventoryProducer = await producerFor("inventory-service");
  const parsedProto = parseSchema("PROTOBUF", STOCK_ALLOCATED_PROTO);
  const allocatedProto = parsedProto.ok ? parsedProto : null;
  const inventorySeen = new BoundedMap<string, true>(MEMORY);
  const orderLines = new BoundedMap<string, LineItem[]>(MEMORY);
  const paidBeforeOrder = new BoundedMap<string, EventEnvelope>(MEMORY);
  const reserve = async (payment: EventEnvelope, items: LineItem[]) => {
    const { orderId } = payment.data as { orderId: string };
    if (random() < (options.stockStallRate ?? 0)) {
      // The bug: the payment is taken off the topic and nothing is said. The saga waits for ever.
      stats.stockStalled += 1;
      return;
    }
    if (random() < (options.stockFailureRate ?? 0)) {
      const failed = createEnvelope({ eventType: "StockReservationFailed", source: "inventory-service", causedBy: payment, data: { orderId, reason: "out_of_stock", sku: items[0]!.sku } });
      await inventoryProducer.send(DEMO_TOPICS.inventory, [toRecord(failed, orderId)]);
      stats.stockReservationsFailed += 1;
      return;
    }
    const reserved = createEnvelope({ eventType: "StockReserved", source: "inventory-service", causedBy: payment, data: { orderId, items } });
    await inventoryProducer.send(DEMO_TOPICS.inventory, [toRecord(reserved, orderId)]);
    stats.stockReserved += 1;
    if (allocatedProto && options.stockAllocatedSchemaId) {
      const allocations = items.map((item, i) => ({ sku: item.sku, quantity: item.quantity, warehouse: "leeds-1", bin: `A-${String(1 + ((i * 7 + item.sku.length) % 40)).padStart(2, "0")}` }));
      const allocated = createEnvelope({ eventType: "StockAllocated", source: "inventory-service", causedBy: reserved, data: { orderId, allocations } });
      const value = encodeConfluentFrame(options.stockAllocatedSchemaId, encodeWith(allocatedProto, allocated));
      await inventoryProducer.send(DEMO_TOPICS.inventory, [{ key: orderId, value: Buffer.from(value), headers: envelopeHeaders(allocated) }]);
      stats.stockAllocated += 1;
    }
  };
  await consume("inventory-service", [DEMO_TOPICS.orders, DEMO_TOPICS.payments], async (event) => {
    if (!firstDelivery(inventorySeen, event)) return;
    if (event.eventType === "OrderPlaced") {
      const { orderId, items } = event.data as { orderId: string; items: LineItem[] };
      if (!Array.isArray(items) || items.length === 0) return;
      orderLines.set(orderId, items.map(({ sku, quantity }) => ({ sku, quantity })));
      const waiting = paidBeforeOrder.get(orderId);
      if (waiting) {
        paidBeforeOrder.delete(orderId);
        await reserve(waiting, orderLines.get(orderId)!);
      }
    } else if (event.eventType === "PaymentSucceeded") {
      const { orderId } = event.data as { orderId: string };
      const items = orderLines.get(orderId);
      if (items) await reserve(event, items);
      else paidBeforeOrder.set(orderId, event);
    }
  });

  // notification-service: deliberately slow, so its lag grows while the demo runs; and not
  // idempotent, so a redelivered order is notified twice (the duplicates Signalbox should find).
  const notificationProducer = await producerFor("notification-service");
  await consume("notification-service", [DEMO_TOPICS.orders, DEMO_TOPICS.payments], async (cause) => {
    await sleep(options.notificationDelayMs);
    const orderId = (cause.data as { orderId?: string }).orderId ?? "unknown";
    const sent = createEnvelope({
      eventType: "NotificationSent",
      source: "notification-service",
      causedBy: cause,
      data: { orderId, channel: "email", template: cause.eventType },
    });
    await notificationProducer.send(DEMO_TOPICS.notifications, [toRecord(sent, orderId)]);
    stats.notificationsSent += 1;
  });

  // order-service's shop front: orders at the configured rate.
  const orderLoop = async () => {
    const intervalMs = 1000 / options.ordersPerSec;
    let next = performance.now();
    while (!ordersStopping.signal.aborted) {
      const orderId = `ord-${Date.now().toString(36)}-${Math.floor(random() * 1e6).toString(36)}`;
      const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
        sku: SKUS[Math.floor(random() * SKUS.length)]!,
        quantity: 1 + Math.floor(random() * 3),
        unitPrice: Math.round(500 + random() * 5000) / 100,
      }));
      const total = Math.round(items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0) * 100) / 100;
      const channel = CHANNELS[Math.floor(random() * CHANNELS.length)]!;
      const data: Record<string, unknown> = { orderId, customerId: `cust-${1 + Math.floor(random() * 200)}`, items, total, currency: "EUR", channel };
      if (random() < (options.nonConformingRate ?? 0)) {
        // A buggy client release: the total as a string, or the customer left out.
        if (random() < 0.5) data.total = total.toFixed(2);
        else delete data.customerId;
        stats.nonConforming += 1;
      }
      const placed = createEnvelope({ eventType: "OrderPlaced", source: "order-service", data });
      try {
        await recordOrderEvent(placed, orderId, { customerId: (data.customerId as string | undefined) ?? null, total, currency: "EUR" });
        stats.ordersPlaced += 1;
      } catch {
        // The broker or the shop's database is away; keep the pace and try again on the next tick.
      }
      next += intervalMs;
      await sleep(Math.max(0, next - performance.now()), ordersStopping.signal);
      if (performance.now() - next > 5_000) next = performance.now();
    }
  };
  const orders = orderLoop();

  return {
    stats,
    /** The shop takes no more orders; the services go on with the sagas in flight. */
    async stopOrders() {
      ordersStopping.abort();
      await orders;
    },
    async stop() {
      ordersStopping.abort();
      stopping.abort();
      await Promise.allSettled([orders, ...loops]);
      await Promise.allSettled(consumers.map((c) => c.stop()));
      await Promise.allSettled(producers.map((p) => p.disconnect()));
      await shop?.close();
    },
  };
}

function originalHeaders(record: ConsumedRecord): Record<string, Buffer | Buffer[]> {
  const headers: Record<string, Buffer | Buffer[]> = {};
  for (const [name, value] of Object.entries(record.headers)) if (value !== undefined) headers[name] = value;
  return headers;
}
