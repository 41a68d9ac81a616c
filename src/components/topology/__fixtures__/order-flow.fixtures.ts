// A small order flow, declared: order-service → orders → payment-service → payments →
// notification-service; inventory-service reads orders too. The topology tests build on it.
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
