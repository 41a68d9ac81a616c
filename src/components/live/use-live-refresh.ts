"use client";

import { useQueryClient, type Query } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { useKeptAlive } from "./use-kept-alive";

export interface LiveState {
  /** True while the SSE subscription to `lag.live` is open. */
  connected: boolean;
  status: "idle" | "connecting" | "pending" | "error";
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

/**
 * Subscribes to `lag.live` (one event per stored sample) and, on each, invalidates the lag and
 * alert queries the page shows, so they refetch once. Nothing polls. Pages built on the same
 * samples (the topology) pass `alsoRefresh` to invalidate their own queries.
 */
export function useLiveRefresh(alsoRefresh?: () => void): LiveState {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [samples, setSamples] = useState<{ last: number | null; interval: number | null }>({ last: null, interval: null });

  const refresh = useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: trpc.lag.pathKey(), predicate: followsLive });
    void queryClient.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
    alsoRefresh?.();
  }, [queryClient, trpc, alsoRefresh]);

  const subscription = useSubscription(
    trpc.lag.live.subscriptionOptions(undefined, {
      onData: ({ takenAt }) => {
        setSamples((prev) => ({ last: takenAt, interval: prev.last !== null && takenAt > prev.last ? takenAt - prev.last : prev.interval }));
        refresh();
      },
    }),
  );

  // Reopened after the web restarts; samples announced while the stream was down are caught up once.
  useKeptAlive(subscription, refresh);

  return { connected: subscription.status === "pending", status: subscription.status, lastTakenAt: samples.last, intervalMs: samples.interval };
}
