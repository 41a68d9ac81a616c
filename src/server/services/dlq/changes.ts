// "Something changed in this DLQ": new records indexed, records claimed, redriven or discarded, a
// declaration added or removed. Announced over PostgreSQL NOTIFY, so every open DLQ page (and the
// Overview's DLQ card) refetches what it shows at once instead of polling.
import { CHANNELS, notificationBatches, notify } from "~/server/catalog";

/** Tells listeners that `topic` changed. Never fails the caller: a lost announcement only delays a refresh. */
export async function announceDlqChange(topic: string): Promise<void> {
  await notify(CHANNELS.dlq, topic).catch(() => undefined);
}

/** Yields the DLQ topics that changed, a batch at a time, until `signal` aborts. */
export async function* dlqChanges(signal?: AbortSignal): AsyncGenerator<{ topics: string[] }> {
  for await (const batch of notificationBatches(CHANNELS.dlq, signal)) yield { topics: [...new Set(batch)] };
}
