"use client";

import { useQueryClient, type Query } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { useLiveEvents, type LiveEvent, type LiveStatus } from "./live-events";
import { refetchAfterChange } from "./refetch";

export interface LiveState {
  /** True while the console's live stream is open. */
  connected: boolean;
  status: LiveStatus;
  /** `takenAt` of the newest sample announced since the page opened. */
  lastTakenAt: number | null;
  /** Observed spacing between the last two announcements, ms; null until two arrived. */
  intervalMs: number | null;
}

/**
 * History queries over a fixed range ("15m", "1h", …) are pinned to when they were loaded; only
 * "live" moves with each sample. Everything else under lag/alerts refetches on each sample.
 */
function followsLive(query: Query): boolean {
  const meta = query.queryKey[1] as { input?: { range?: unknown } } | undefined;
  const range = meta?.input?.range;
  return range === undefined || range === "live";
}

/** The events a page built on the samples refreshes on. */
export type SampleOrResync = Extract<LiveEvent, { kind: "sample" | "resync" }>;

/**
 * On each stored sample announced over the live stream, invalidates the lag and alert queries the
 * page shows, so they refetch once; each time the live stream opens, once more to catch up. Nothing polls. Pages
 * built on the same samples (the topology) pass `alsoRefresh` to invalidate their own queries.
 */
export function useLiveRefresh(alsoRefresh?: (event: SampleOrResync) => void): LiveState {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [samples, setSamples] = useState<{ last: number | null; interval: number | null }>({ last: null, interval: null });

  const refresh = useCallback(() => {
    void refetchAfterChange(queryClient, { queryKey: trpc.lag.pathKey(), predicate: followsLive });
    void refetchAfterChange(queryClient, { queryKey: trpc.alerts.pathKey() });
  }, [queryClient, trpc]);

  // `alsoRefresh` is often a new function on each render; useLiveEvents reads the latest through a
  // ref, so a render never triggers a refetch (once, each refetch rendered and refetched again).
  const status = useLiveEvents((event) => {
    if (event.kind === "sample") {
      const { takenAt } = event;
      setSamples((prev) => ({ last: takenAt, interval: prev.last !== null && takenAt > prev.last ? takenAt - prev.last : prev.interval }));
    } else if (event.kind !== "resync") return;
    refresh();
    alsoRefresh?.(event);
  });

  return { connected: status === "open", status, lastTakenAt: samples.last, intervalMs: samples.interval };
}
