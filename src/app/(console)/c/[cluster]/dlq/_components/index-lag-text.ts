// The words of the DLQ index lag line (dlq-index-lag.tsx), apart from React so they are unit-tested.
import { formatAge, formatCount } from "~/lib/format";
import type { IndexStatus } from "./types";

/** Past this many intervals without a finished round on the topic, a running worker is said to be stuck on it. */
const STUCK_ROUNDS = 3;
const records = (n: number) => `${formatCount(n)} record${n === 1 ? "" : "s"}`;

export type IndexLagState = "running" | "stuck" | "stopped";

/** What the line says, given the status as read and how long ago (ms) it was read. */
export function describeIndexLag(status: IndexStatus, sinceRead: number): { state: IndexLagState; text: string; detail: string | null } {
  const { lag, worker, readAt } = status;
  const ago = (t: number) => formatAge(readAt - t + sinceRead);
  const heartbeatAge = worker.lastSeen === null ? null : readAt - worker.lastSeen + sinceRead;
  if (heartbeatAge === null || heartbeatAge > worker.staleAfterMs) {
    const seen = heartbeatAge === null ? "no worker has ever run" : `last worker heartbeat ${formatAge(heartbeatAge)} ago`;
    return {
      state: "stopped",
      text: `Index not updating: no worker is running (${seen}).`,
      detail:
        lag.behind > 0
          ? `${records(lag.behind)} not indexed: lists and counts show what was indexed before. Start the worker (npm run worker); redriving or discarding a whole group needs it.`
          : "Every record is indexed, but new ones will not be until a worker runs (npm run worker).",
    };
  }
  const updated = lag.checkedAt === null ? "not read by the worker yet" : `updated ${ago(lag.checkedAt)} ago`;
  const text = lag.behind > 0 ? `Index ${records(lag.behind)} behind · ${updated}` : `Index up to date · ${updated}`;
  const roundAge = lag.checkedAt === null ? null : readAt - lag.checkedAt + sinceRead;
  if (roundAge !== null && roundAge > Math.max(STUCK_ROUNDS * worker.intervalMs, worker.staleAfterMs)) {
    return { state: "stuck", text, detail: `The worker is running but has not finished reading this topic for ${formatAge(roundAge)}; see its log.` };
  }
  return { state: "running", text, detail: null };
}

