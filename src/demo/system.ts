// The demo event system: four services exchanging enveloped events over the real broker.
import { createEnvelope, envelopeHeaders, parseEnvelope, type EventEnvelope } from "~/lib/envelope";
import { signalboxDlqHeaders } from "~/lib/dlq-headers";
import { sleep } from "~/lib/time";
import { createProducer, ensureTopics, runGroupConsumer, type ClusterConnectionConfig, type ConsumedRecord, type GroupConsumer, type RecordProducer } from "~/server/broker";
import { encodeConfluentFrame } from "~/lib/wire-format";
import { encodeWith, parseSchema } from "~/server/services/schemas/formats";
import { PAYMENT_SETTLED_AVRO, STOCK_ALLOCATED_PROTO } from "./event-schemas";
import { DEMO_TOPIC_SPECS, DEMO_TOPICS } from "./order-flow";

export interface DemoOptions {
  ordersPerSec: number;
  paymentFailureRate: number;
  paymentDeclineRate: number;
  notificationDelayMs: number;
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
  paymentsSucceeded: number;
  paymentsFailed: number;
  paymentsSettled: number;
  deadLettered: number;
  stockReserved: number;
  stockAllocated: number;
  notificationsSent: number;
  nonConforming: number;
}

const PROCESSING_ERRORS = [
  { errorClass: "PaymentGatewayTimeoutException", message: "Payment gateway did not answer within 3000 ms" },
  { errorClass: "CardTokenExpiredException", message: "Card token has expired for customer" },
  { errorClass: "CurrencyNotSupportedException", message: "Currency CHF is not supported by the acquirer" },
] as const;

const SKUS = ["sku-kettle", "sku-teapot", "sku-mug", "sku-beans-1kg", "sku-grinder"];
const CHANNELS = ["web", "app", "store"] as const;

function serviceCluster(cluster: ClusterConnectionConfig, service: string): ClusterConnectionConfig {
  // A client per service, so Kafka's tools show each service's own client id.
  return { ...cluster, name: `${cluster.name}:${service}`, clientId: service };
}

function toRecord(envelope: EventEnvelope, key: string) {
  return { key, value: JSON.stringify(envelope), headers: envelopeHeaders(envelope) };
}

export async function startDemoSystem(cluster: ClusterConnectionConfig, options: DemoOptions) {
  const random = options.random ?? Math.random;
  const stats: DemoStats = { ordersPlaced: 0, paymentsSucceeded: 0, paymentsFailed: 0, paymentsSettled: 0, deadLettered: 0, stockReserved: 0, stockAllocated: 0, notificationsSent: 0, nonConforming: 0 };
  await ensureTopics(cluster, DEMO_TOPIC_SPECS);

  const producers: RecordProducer[] = [];
  const consumers: GroupConsumer[] = [];
  const producerFor = async (service: string) => {
    const producer = await createProducer(serviceCluster(cluster, service));
    producers.push(producer);
    return producer;
  };

  // payment-service: charge each order; a share fails in processing and is dead-lettered.
  const paymentProducer = await producerFor("payment-service");
  const parsedAvro = parseSchema("AVRO", JSON.stringify(PAYMENT_SETTLED_AVRO));
  const settledAvro = parsedAvro.ok ? parsedAvro : null;
  consumers.push(
    await runGroupConsumer(serviceCluster(cluster, "payment-service"), {
      groupId: "payment-service",
      topics: [DEMO_TOPICS.orders],
      eachRecord: async (record) => {
        const order = parseEnvelope(record.value);
        if (!order) return;
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
        if (declined) stats.paymentsFailed += 1;
        else stats.paymentsSucceeded += 1;
        if (!declined && settledAvro && options.paymentSettledSchemaId && Number.isFinite((payment.data as { amount: number }).amount)) {
          const paid = payment.data as { orderId: string; amount: number; currency: string };
          const settled = createEnvelope({ eventType: "PaymentSettled", source: "payment-service", causedBy: payment, data: { orderId: paid.orderId, amountMinor: Math.round(paid.amount * 100), currency: paid.currency } });
          // Avro's JSON encoding names a union's non-null branch: causationId ["null","string"] is {"string": id}.
          const { causationId } = settled.metadata;
          const avroValue = { ...settled, metadata: { correlationId: settled.metadata.correlationId, causationId: causationId === null ? null : { string: causationId } } };
          const value = encodeConfluentFrame(options.paymentSettledSchemaId, encodeWith(settledAvro, avroValue));
          await paymentProducer.send(DEMO_TOPICS.payments, [{ key, value: Buffer.from(value), headers: envelopeHeaders(settled) }]);
          stats.paymentsSettled += 1;
        }
      },
    }),
  );

  // inventory-service: reserve stock for every order, then allocate it (in Protobuf). Nothing in the
  // demo consumes the inventory topic, so no consumer meets the binary records.
  const inventoryProducer = await producerFor("inventory-service");
  const parsedProto = parseSchema("PROTOBUF", STOCK_ALLOCATED_PROTO);
  const allocatedProto = parsedProto.ok ? parsedProto : null;
  consumers.push(
    await runGroupConsumer(serviceCluster(cluster, "inventory-service"), {
      groupId: "inventory-service",
      topics: [DEMO_TOPICS.orders],
      eachRecord: async (record) => {
        const order = parseEnvelope(record.value);
        if (!order) return;
        const data = order.data as { orderId: string; items: { sku: string; quantity: number }[] };
        const reserved = createEnvelope({ eventType: "StockReserved", source: "inventory-service", causedBy: order, data: { orderId: data.orderId, items: data.items } });
        await inventoryProducer.send(DEMO_TOPICS.inventory, [toRecord(reserved, data.orderId)]);
        stats.stockReserved += 1;
        if (allocatedProto && options.stockAllocatedSchemaId) {
          const allocations = data.items.map((item, i) => ({ sku: item.sku, quantity: item.quantity, warehouse: "leeds-1", bin: `A-${String(1 + ((i * 7 + item.sku.length) % 40)).padStart(2, "0")}` }));
          const allocated = createEnvelope({ eventType: "StockAllocated", source: "inventory-service", causedBy: reserved, data: { orderId: data.orderId, allocations } });
          const value = encodeConfluentFrame(options.stockAllocatedSchemaId, encodeWith(allocatedProto, allocated));
          await inventoryProducer.send(DEMO_TOPICS.inventory, [{ key: data.orderId, value: Buffer.from(value), headers: envelopeHeaders(allocated) }]);
          stats.stockAllocated += 1;
        }
      },
    }),
  );

  // notification-service: deliberately slow, so its lag grows while the demo runs.
  const notificationProducer = await producerFor("notification-service");
  consumers.push(
    await runGroupConsumer(serviceCluster(cluster, "notification-service"), {
      groupId: "notification-service",
      topics: [DEMO_TOPICS.orders, DEMO_TOPICS.payments],
      eachRecord: async (record) => {
        const cause = parseEnvelope(record.value);
        if (!cause) return;
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
      },
    }),
  );

  // order-service: publish OrderPlaced at the configured rate.
  const orderProducer = await producerFor("order-service");
  const stopping = new AbortController();
  const orderLoop = (async () => {
    const intervalMs = 1000 / options.ordersPerSec;
    let next = performance.now();
    while (!stopping.signal.aborted) {
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
        await orderProducer.send(DEMO_TOPICS.orders, [toRecord(placed, orderId)]);
        stats.ordersPlaced += 1;
      } catch {
        // The broker is away; keep the pace and try again on the next tick.
      }
      next += intervalMs;
      await sleep(Math.max(0, next - performance.now()), stopping.signal);
      if (performance.now() - next > 5_000) next = performance.now();
    }
  })();

  return {
    stats,
    async stop() {
      stopping.abort();
      await orderLoop;
      await Promise.allSettled(consumers.map((c) => c.stop()));
      await Promise.allSettled(producers.map((p) => p.disconnect()));
    },
  };
}

function originalHeaders(record: ConsumedRecord): Record<string, Buffer | Buffer[]> {
  const headers: Record<string, Buffer | Buffer[]> = {};
  for (const [name, value] of Object.entries(record.headers)) if (value !== undefined) headers[name] = value;
  return headers;
}
