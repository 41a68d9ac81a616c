// A small order flow, declared: order-service → orders → payment-service → payments →
// notification-service; inventory-service reads orders too. The topology tests build on it.
import { DEMO_EVENT_TYPES } from "~/demo/event-schemas";
import { DEMO_SERVICES, DEMO_TOPICS } from "~/demo/order-flow";
import type { DeclaredSystem } from "~/server/services/topology/types";

export const declaredOrderFlow: DeclaredSystem = {
  services: [
    { name: "order-service", team: "checkout", description: null },
    { name: "payment-service", team: "payments", description: null },
    { name: "inventory-service", team: "fulfilment", description: null },
    { name: "notification-service", team: "customer-comms", description: null },
  ],
  eventTypes: [
    { name: "OrderPlaced", domain: "orders", owner: "checkout" },
    { name: "PaymentSucceeded", domain: "payments", owner: "payments" },
    { name: "StockReserved", domain: "inventory", owner: "fulfilment" },
  ],
  bindings: [
    { eventType: "OrderPlaced", topic: "orders" },
    { eventType: "PaymentSucceeded", topic: "payments" },
    { eventType: "StockReserved", topic: "inventory" },
  ],
  producers: [
    { service: "order-service", eventType: "OrderPlaced" },
    { service: "payment-service", eventType: "PaymentSucceeded" },
    { service: "inventory-service", eventType: "StockReserved" },
  ],
  subscriptions: [
    { service: "payment-service", eventType: "OrderPlaced", topic: "orders", consumerGroupId: "payment-service" },
    { service: "inventory-service", eventType: "OrderPlaced", topic: "orders", consumerGroupId: "inventory-service" },
    { service: "notification-service", eventType: "PaymentSucceeded", topic: "payments", consumerGroupId: "notification-service" },
  ],
};

/**
 * The demo's saga as the seed declares it (src/demo): order-service reads payments and writes
 * orders, payment-service reads orders and inventory, so events go round a loop
 * (orders → payment-service → payments → order-service → orders). Built from the demo's own
 * lists, so these tests follow the demo when it changes.
 */
export const declaredSaga: DeclaredSystem = {
  services: DEMO_SERVICES.map((s) => ({ name: s.name, team: s.team, description: null })),
  eventTypes: DEMO_EVENT_TYPES.map((t) => ({ name: t.name, domain: t.domain, owner: t.owner })),
  bindings: DEMO_EVENT_TYPES.map((t) => ({ eventType: t.name, topic: t.topic })),
  producers: DEMO_SERVICES.flatMap((s) => s.produces.map((p) => ({ service: s.name, eventType: p.eventType }))),
  subscriptions: DEMO_SERVICES.flatMap((s) =>
    s.consumes.flatMap((c) => DEMO_EVENT_TYPES.filter((t) => t.topic === c.topic).map((t) => ({ service: s.name, eventType: t.name, topic: c.topic, consumerGroupId: c.groupId }))),
  ),
  dlqDeclarations: [{ topic: DEMO_TOPICS.paymentsDlq, sourceTopic: DEMO_TOPICS.orders }],
};
