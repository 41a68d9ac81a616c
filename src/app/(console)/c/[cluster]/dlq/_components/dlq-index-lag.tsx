"use client";

// How far behind the DLQ index is for one topic, in one plain line: "Index 1,234 records behind ·
// updated 4 s ago", "Index up to date · updated 2 s ago", or, when no worker runs, that nothing is
// updating it (instead of a spinner that never ends). Per partition on request. Ages count from the
// server's clock at the read plus the time since, so a browser whose clock is off still shows them right.
import { useQuery } from "@tanstack/react-query";
import { AGING_REFRESH_MS } from "~/components/dlq/use-dlq-changes";
import { useNow } from "~/components/live/use-now";
import { formatAge, formatCount } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { describeIndexLag } from "./index-lag-text";

export function DlqIndexLagLine({ topic }: { topic: string }) {
  const trpc = useTRPC();
  // Worker rounds refresh it (useDlqIndexRounds); the slow timer covers a stopped worker, whose lag only grows.
  const status = useQuery(trpc.dlq.indexStatus.queryOptions({ topic }, { refetchInterval: AGING_REFRESH_MS }));
  const now = useNow(1000);
  if (status.isError)
    return (
      <p className="warn-text small" data-testid="dlq-index-lag" data-state="unknown">
        Index status unknown: {status.error.message}
      </p>
    );
  if (!status.data) return null;
  const { state, text, detail } = describeIndexLag(status.data, Math.max(0, now - status.dataUpdatedAt));
  const { lag, readAt } = status.data;
  return (
    <div className={`small dlq-index-lag ${state === "running" ? "muted" : "warn-text"}`} data-testid="dlq-index-lag" data-state={state} data-behind={lag.behind}>
      <span data-testid="dlq-index-lag-text">{text}</span>
      {detail && <span data-testid="dlq-index-lag-detail"> {detail}</span>}
      {lag.partitions.length > 1 && (
        <details className="dlq-index-partitions">
          <summary>per partition</summary>
          <ul>
            {lag.partitions.map((p) => (
              <li key={p.partition} className="mono" data-testid="dlq-index-partition">
                {p.partition}: indexed to {p.indexedTo === null ? "—" : formatCount(p.indexedTo)} of {formatCount(p.end)}
                {p.behind > 0 ? ` (${formatCount(p.behind)} behind)` : ""}
                {p.checkedAt !== null ? ` · updated ${formatAge(readAt - p.checkedAt + Math.max(0, now - status.dataUpdatedAt))} ago` : ""}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
