// The demo's order flow: which services exist, what they publish and consume, and on which topics.
// The demo system runs it; the catalog seed declares it (later issues build on this).
import type { TopicSpec } from "~/server/broker";

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
