// `npm run demo:system`: runs the demo event system until Ctrl-C.
import { getEnv, redactEnv } from "~/env";
import { createLogger } from "~/lib/logger";
import { disconnectAll } from "~/server/broker";
import { getEventTypeDetail } from "~/server/catalog";
import { clusterFromEnv } from "~/server/services/clusters/active-cluster";
import { startDemoSystem } from "./system";

const log = createLogger("demo");

/** The registry id of an event type's latest version in `schemaType`, registered by the seed; null (and no such records from the demo) otherwise. */
async function latestSchemaId(eventType: string, schemaType: "AVRO" | "PROTOBUF"): Promise<number | null> {
  try {
    const detail = await getEventTypeDetail(eventType);
    const latest = detail?.versions.at(-1);
    return latest?.schemaType === schemaType ? latest.schemaId : null;
  } catch (error) {
    log.warn(`${eventType}'s schema id is not readable; the demo sends no ${schemaType} records`, { error: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

async function main() {
  const env = getEnv();
  log.info("starting demo event system", { config: redactEnv(env) });
  const demo = await startDemoSystem(clusterFromEnv(env), {
    ordersPerSec: env.DEMO_ORDERS_PER_SEC,
    paymentFailureRate: env.DEMO_PAYMENT_FAILURE_RATE,
    paymentDeclineRate: env.DEMO_PAYMENT_DECLINE_RATE,
    notificationDelayMs: env.DEMO_NOTIFICATION_DELAY_MS,
    stockFailureRate: env.DEMO_STOCK_FAILURE_RATE,
    stockStallRate: env.DEMO_STOCK_STALL_RATE,
    duplicateRate: env.DEMO_DUPLICATE_RATE,
    shopDatabaseUrl: env.DEMO_SHOP_DATABASE_URL ?? null,
    nonConformingRate: env.DEMO_NONCONFORMING_RATE,
    stockAllocatedSchemaId: await latestSchemaId("StockAllocated", "PROTOBUF"),
    paymentSettledSchemaId: await latestSchemaId("PaymentSettled", "AVRO"),
  });
  log.info("demo event system running", { ordersPerSec: env.DEMO_ORDERS_PER_SEC, outbox: env.DEMO_SHOP_DATABASE_URL ? "shop.outbox, published by the relay" : "none: order-service publishes directly" });
  const report = setInterval(() => log.info("demo traffic so far", { ...demo.stats }), 30_000);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    clearInterval(report);
    log.info("stopping demo event system", { signal });
    await demo.stop();
    await disconnectAll();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error) => {
  console.error(`Demo event system failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
