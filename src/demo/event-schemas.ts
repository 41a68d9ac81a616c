// The schemas of the demo's event types (JSON Schema; one Avro, one Protobuf), as their owners would register them. Each describes
// the whole message value: the envelope (ARCHITECTURE.md, "Event envelope") with its `data`.
// Objects are closed (`additionalProperties: false`), so owners can add optional fields later under
// the default BACKWARD compatibility; OrderPlaced shows that with a second version.
import type { DeclaredEventType } from "~/server/services/schemas/declared-catalog";
import { DEMO_TOPICS } from "./order-flow";

const DRAFT_07 = "http://json-schema.org/draft-07/schema#";
const DRAFT_2020 = "https://json-schema.org/draft/2020-12/schema";

function envelope(draft: string, eventType: string, description: string, data: object): object {
  return {
    $schema: draft,
    title: eventType,
    description,
    type: "object",
    additionalProperties: false,
    required: ["eventId", "eventType", "timestamp", "version", "source", "data", "metadata"],
    properties: {
      eventId: { type: "string", format: "uuid", description: "Unique per event; consumers deduplicate by it." },
      eventType: { const: eventType },
      timestamp: { type: "string", format: "date-time" },
      version: { type: "integer", minimum: 1 },
      source: { type: "string", minLength: 1, description: "The producing service." },
      data: data,
      metadata: {
        type: "object",
        additionalProperties: false,
        required: ["correlationId", "causationId"],
        properties: {
          correlationId: { type: "string", minLength: 1 },
          causationId: { type: ["string", "null"] },
        },
      },
    },
  };
}

const orderId = { type: "string", pattern: "^ord-", description: "The order's id, e.g. ord-lq3k2-1x9z." };
const currency = { type: "string", enum: ["EUR", "USD", "GBP", "CHF"] };
const lineItem = {
  type: "object",
  additionalProperties: false,
  required: ["sku", "quantity"],
  properties: {
    sku: { type: "string", pattern: "^sku-" },
    quantity: { type: "integer", minimum: 1 },
    unitPrice: { type: "number", minimum: 0 },
  },
};

const orderPlacedData = (extra: Record<string, object>) => ({
  type: "object",
  additionalProperties: false,
  required: ["orderId", "customerId", "items", "total", "currency"],
  properties: {
    orderId,
    customerId: { type: "string", pattern: "^cust-" },
    items: { type: "array", minItems: 1, items: lineItem },
    total: { type: "number", minimum: 0 },
    currency,
    ...extra,
  },
});

/**
 * An Avro record with the envelope's fields, so the browser, trace and conformance read it as they
 * read the JSON events (Avro's JSON encoding of it is the envelope).
 */
export const PAYMENT_SETTLED_AVRO = {
  type: "record",
  name: "PaymentSettled",
  namespace: "demo.payments",
  doc: "The acquirer settled the captured amount to the shop's account.",
  fields: [
    { name: "eventId", type: "string" },
    { name: "eventType", type: "string" },
    { name: "timestamp", type: "string" },
    { name: "version", type: "int" },
    { name: "source", type: "string" },
    {
      name: "data",
      type: {
        type: "record",
        name: "PaymentSettledData",
        fields: [
          { name: "orderId", type: "string" },
          { name: "amountMinor", type: "long", doc: "In the currency's minor unit (cents)." },
          { name: "currency", type: { type: "enum", name: "Currency", symbols: ["EUR", "USD", "GBP", "CHF"] } },
        ],
      },
    },
    {
      name: "metadata",
      type: { type: "record", name: "Metadata", fields: [{ name: "correlationId", type: "string" }, { name: "causationId", type: ["null", "string"], default: null }] },
    },
  ],
};

/**
 * A Protobuf message with the envelope's fields (snake_case, as Protobuf's style guide has them):
 * Protobuf's JSON mapping names them eventId, metadata.correlationId, ..., so the browser, trace and
 * conformance read a decoded record as they read the JSON events. inventory-service sends one per
 * order in Confluent's wire format (schema id, then message indexes).
 */
export const STOCK_ALLOCATED_PROTO = `syntax = "proto3";
package demo.inventory;

// Every line of a reserved order is allocated a warehouse bin.
message StockAllocated {
  string event_id = 1;
  string event_type = 2;
  string timestamp = 3;
  int32 version = 4;
  string source = 5;
  Data data = 6;
  Metadata metadata = 7;

  message Data {
    string order_id = 1;
    repeated Allocation allocations = 2;
  }

  message Allocation {
    string sku = 1;
    int32 quantity = 2;
    string warehouse = 3;
    string bin = 4;
  }

  message Metadata {
    string correlation_id = 1;
    optional string causation_id = 2;
  }
}
`;

export const DEMO_EVENT_TYPES: DeclaredEventType[] = [
  {
    name: "OrderPlaced",
    domain: "orders",
    owner: "checkout",
    description: "A customer placed an order in the shop. Keyed by order id; starts every order's correlation.",
    topic: DEMO_TOPICS.orders,
    versions: [
      envelope(DRAFT_07, "OrderPlaced", "A customer placed an order.", orderPlacedData({})),
      // v2: an optional sales channel. Adding an optional property to a closed object is BACKWARD compatible.
      envelope(DRAFT_07, "OrderPlaced", "A customer placed an order.", orderPlacedData({ channel: { type: "string", enum: ["web", "app", "store"], description: "Where the order was placed." } })),
    ],
  },
  {
    name: "OrderCancelled",
    domain: "orders",
    owner: "checkout",
    description: "The order will not be fulfilled: its payment was declined, or refunded for lack of stock. Ends a compensated order saga.",
    topic: DEMO_TOPICS.orders,
    versions: [
      envelope(DRAFT_07, "OrderCancelled", "An order was cancelled.", {
        type: "object",
        additionalProperties: false,
        required: ["orderId", "reason"],
        properties: { orderId, reason: { type: "string", enum: ["payment_declined", "stock_unavailable"] } },
      }),
    ],
  },
  {
    name: "PaymentSucceeded",
    domain: "payments",
    owner: "payments",
    description: "The order's payment was captured.",
    topic: DEMO_TOPICS.payments,
    versions: [
      envelope(DRAFT_2020, "PaymentSucceeded", "The order's payment was captured.", {
        type: "object",
        additionalProperties: false,
        required: ["orderId", "amount", "currency"],
        properties: { orderId, amount: { type: "number", minimum: 0 }, currency },
      }),
    ],
  },
  {
    name: "PaymentSettled",
    domain: "payments",
    owner: "payments",
    description: "The captured amount was settled. Avro, in Confluent's wire format.",
    topic: DEMO_TOPICS.payments,
    schemaType: "AVRO",
    versions: [PAYMENT_SETTLED_AVRO],
  },
  {
    name: "PaymentFailed",
    domain: "payments",
    owner: "payments",
    description: "The payment was declined; the order will not ship.",
    topic: DEMO_TOPICS.payments,
    versions: [
      envelope(DRAFT_2020, "PaymentFailed", "The payment was declined.", {
        type: "object",
        additionalProperties: false,
        required: ["orderId", "reason"],
        properties: { orderId, reason: { type: "string", enum: ["card_declined", "insufficient_funds", "fraud_suspected"] } },
      }),
    ],
  },
  {
    name: "PaymentRefunded",
    domain: "payments",
    owner: "payments",
    description: "A captured payment was given back, because the order could not be fulfilled (a saga compensation).",
    topic: DEMO_TOPICS.payments,
    versions: [
      envelope(DRAFT_2020, "PaymentRefunded", "A captured payment was refunded.", {
        type: "object",
        additionalProperties: false,
        required: ["orderId", "amount", "currency", "reason"],
        properties: { orderId, amount: { type: "number", minimum: 0 }, currency, reason: { type: "string", enum: ["stock_unavailable"] } },
      }),
    ],
  },
  {
    name: "StockReserved",
    domain: "fulfilment",
    owner: "fulfilment",
    description: "Stock for every line of the order is reserved in the warehouse.",
    topic: DEMO_TOPICS.inventory,
    versions: [
      envelope(DRAFT_07, "StockReserved", "Stock is reserved for an order.", {
        type: "object",
        additionalProperties: false,
        required: ["orderId", "items"],
        properties: { orderId, items: { type: "array", minItems: 1, items: lineItem } },
      }),
    ],
  },
  {
    name: "StockReservationFailed",
    domain: "fulfilment",
    owner: "fulfilment",
    description: "Stock for a paid order could not be reserved; payment-service refunds it (a saga compensation).",
    topic: DEMO_TOPICS.inventory,
    versions: [
      envelope(DRAFT_07, "StockReservationFailed", "Stock could not be reserved for a paid order.", {
        type: "object",
        additionalProperties: false,
        required: ["orderId", "reason", "sku"],
        properties: { orderId, reason: { type: "string", enum: ["out_of_stock"] }, sku: { type: "string", pattern: "^sku-" } },
      }),
    ],
  },
  {
    name: "StockAllocated",
    domain: "fulfilment",
    owner: "fulfilment",
    description: "Each line of a reserved order has a warehouse bin. Protobuf, in Confluent's wire format.",
    topic: DEMO_TOPICS.inventory,
    schemaType: "PROTOBUF",
    versions: [STOCK_ALLOCATED_PROTO],
  },
  {
    name: "NotificationSent",
    domain: "customer-comms",
    owner: "customer-comms",
    description: "The customer was told about their order or payment.",
    topic: DEMO_TOPICS.notifications,
    versions: [
      envelope(DRAFT_07, "NotificationSent", "A customer notification went out.", {
        type: "object",
        additionalProperties: false,
        required: ["orderId", "channel", "template"],
        properties: {
          orderId: { type: "string" },
          channel: { type: "string", enum: ["email", "sms", "push"] },
          template: { type: "string", minLength: 1 },
        },
      }),
    ],
  },
];
