// The demo's order flow: which services exist, what they publish and consume, and on which topics.
// The demo system runs it; the catalog seed declares it (later issues build on this).
import type { TopicSpec } from "~/server/broker";
import type { FlowDefinition } from "~/server/services/flows/definition";

export const DEMO_TOPICS = {
  orders: "orders",
  payments: "payments",
  inventory: "inventory",
  notifications: "notifications",
  paymentsDlq: "payments.DLQ",
} as const;

export const DEMO_TOPIC_SPECS: TopicSpec[] = [
  { topic: DEMO_TOPICS.orders, numPartitions: 3 },
  { topic: DEMO_TOPICS.payments, numPartitions: 3 },
  { topic: DEMO_TOPICS.inventory, numPartitions: 3 },
  { topic: DEMO_TOPICS.notifications, numPartitions: 3 },
  { topic: DEMO_TOPICS.paymentsDlq, numPartitions: 1 },
];

export interface DemoService {
  name: string;
  team: string;
  description: string;
  produces: { eventType: string; topic: string }[];
  consumes: { topic: string; groupId: string }[];
}

export const DEMO_SERVICES: DemoService[] = [
  {
    name: "order-service",
    team: "checkout",
    description: "Takes orders from the shop and publishes OrderPlaced, keyed by order id, through its transactional outbox. Cancels an order whose payment failed or was refunded.",
    produces: [
      { eventType: "OrderPlaced", topic: DEMO_TOPICS.orders },
      { eventType: "OrderCancelled", topic: DEMO_TOPICS.orders },
    ],
    consumes: [{ topic: DEMO_TOPICS.payments, groupId: "order-service" }],
  },
  {
    name: "payment-service",
    team: "payments",
    description: "Charges each order, and refunds it when stock cannot be reserved. Processing failures are dead-lettered to payments.DLQ.",
    produces: [
      { eventType: "PaymentSucceeded", topic: DEMO_TOPICS.payments },
      { eventType: "PaymentFailed", topic: DEMO_TOPICS.payments },
      { eventType: "PaymentSettled", topic: DEMO_TOPICS.payments },
      { eventType: "PaymentRefunded", topic: DEMO_TOPICS.payments },
    ],
    consumes: [
      { topic: DEMO_TOPICS.orders, groupId: "payment-service" },
      { topic: DEMO_TOPICS.inventory, groupId: "payment-service" },
    ],
  },
  {
    name: "inventory-service",
    team: "fulfilment",
    description: "Reserves stock for each paid order (it keeps the orders' lines from the orders topic), or reports that it cannot.",
    produces: [
      { eventType: "StockReserved", topic: DEMO_TOPICS.inventory },
      { eventType: "StockAllocated", topic: DEMO_TOPICS.inventory },
      { eventType: "StockReservationFailed", topic: DEMO_TOPICS.inventory },
    ],
    consumes: [
      { topic: DEMO_TOPICS.orders, groupId: "inventory-service" },
      { topic: DEMO_TOPICS.payments, groupId: "inventory-service" },
    ],
  },
  {
    name: "notification-service",
    team: "customer-comms",
    description: "Emails customers about orders and payments. Deliberately slow, so its lag grows.",
    produces: [{ eventType: "NotificationSent", topic: DEMO_TOPICS.notifications }],
    consumes: [
      { topic: DEMO_TOPICS.orders, groupId: "notification-service" },
      { topic: DEMO_TOPICS.payments, groupId: "notification-service" },
    ],
  },
];

/**
 * The checkout saga as an architect declares it (the seed declares it; the Flows page follows it):
 * payment decides first; a paid order's stock is reserved and allocated (completed), or cannot be,
 * and the payment is refunded and the order cancelled (compensated); a declined payment cancels the
 * order at once. PaymentSettled and NotificationSent happen beside the saga and are not steps.
 */
export const DEMO_FLOWS: { name: string; description: string; definition: FlowDefinition }[] = [
  {
    name: "Order checkout",
    description: "From OrderPlaced to allocated stock, or to a cancelled order when payment or stock fails.",
    definition: {
      startEventType: "OrderPlaced",
      steps: [
        { after: "OrderPlaced", next: ["PaymentSucceeded", "PaymentFailed"], sloMs: 10_000 },
        { after: "PaymentSucceeded", next: ["StockReserved", "StockReservationFailed"], sloMs: 10_000 },
        { after: "StockReserved", next: ["StockAllocated"], sloMs: 10_000 },
        { after: "StockReservationFailed", next: ["PaymentRefunded"], sloMs: 10_000 },
        { after: "PaymentFailed", next: ["OrderCancelled"], sloMs: 10_000 },
        { after: "PaymentRefunded", next: ["OrderCancelled"], sloMs: 10_000 },
      ],
      compensations: ["PaymentRefunded", "OrderCancelled"],
      completedOn: ["StockAllocated"],
      compensatedOn: ["OrderCancelled"],
      endToEndSloMs: 30_000,
    },
  },
];
