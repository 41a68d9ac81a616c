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
    description: "Takes orders from the shop and publishes OrderPlaced, keyed by order id.",
    produces: [{ eventType: "OrderPlaced", topic: DEMO_TOPICS.orders }],
    consumes: [],
  },
  {
    name: "payment-service",
    team: "payments",
    description: "Charges each order. Processing failures are dead-lettered to payments.DLQ.",
    produces: [
      { eventType: "PaymentSucceeded", topic: DEMO_TOPICS.payments },
      { eventType: "PaymentFailed", topic: DEMO_TOPICS.payments },
      { eventType: "PaymentSettled", topic: DEMO_TOPICS.payments },
    ],
    consumes: [{ topic: DEMO_TOPICS.orders, groupId: "payment-service" }],
  },
  {
    name: "inventory-service",
    team: "fulfilment",
    description: "Reserves stock for each order.",
    produces: [
      { eventType: "StockReserved", topic: DEMO_TOPICS.inventory },
      { eventType: "StockAllocated", topic: DEMO_TOPICS.inventory },
    ],
    consumes: [{ topic: DEMO_TOPICS.orders, groupId: "inventory-service" }],
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
