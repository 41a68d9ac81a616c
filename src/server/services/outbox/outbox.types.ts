// The outbox monitor's shapes, shared by the worker, the router and the page.
import { z } from "zod";

/** OK: the relay keeps up. STALLED: the oldest waiting row is older than the monitor allows. UNREACHABLE: the table could not be read. */
export type OutboxStatus = "OK" | "STALLED" | "UNREACHABLE";

export const outboxHistoryInput = z.object({
  /** How far back the charts go; bounded by the raw history's retention anyway. */
  minutes: z.number().int().min(5).max(24 * 60).default(60),
});

/** A watched outbox as the worker last read it: what the OUTBOX_STALLED rules judge. */
export interface OutboxHealth {
  name: string;
  status: OutboxStatus;
  unpublished: number;
  oldestAgeMs: number | null;
  stallAfterSeconds: number;
}

/** One round of readings for a Kafka cluster; `unreachable` outboxes keep their alerts as they are. */
export interface OutboxSnapshot {
  cluster: string;
  takenAt: number;
  outboxes: OutboxHealth[];
  unreachable: string[];
}
