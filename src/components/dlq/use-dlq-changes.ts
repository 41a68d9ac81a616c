"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useLiveEvents } from "~/components/live/live-events";
import { useTRPC } from "~/trpc/react";
import { refetchAfterChange } from "~/components/live/refetch";

/** Changes come over the subscription; this slow refetch only moves time-based figures on (ages, the 5-minute inflow window, the chart's edge). */
export const AGING_REFRESH_MS = 60_000;

/**
 * Refetches what changed DLQ topics show, narrowly: the overview, summaries and topic list always
 * (they cover every DLQ), the lists, charts and records only of `topics`. The DLQ queries hit the
 * broker, so nothing else is invalidated.
 */
export function useRefreshDlq(): (topics: string[]) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    (topics: string[]) => {
      void refetchAfterChange(queryClient, { queryKey: trpc.dlq.overview.queryKey() });
      void refetchAfterChange(queryClient, { queryKey: trpc.dlq.summaries.queryKey() });
      void refetchAfterChange(queryClient, { queryKey: trpc.dlq.topics.queryKey() });
      for (const topic of topics) {
        void refetchAfterChange(queryClient, { queryKey: trpc.dlq.indexStatus.queryKey({ topic }) });
        void refetchAfterChange(queryClient, { queryKey: trpc.dlq.groups.queryKey({ topic }) });
        void refetchAfterChange(queryClient, { queryKey: trpc.dlq.history.queryKey({ topic }) });
        void refetchAfterChange(queryClient, { queryKey: trpc.dlq.message.queryKey({ topic }) });
      }
    },
    [queryClient, trpc],
  );
}

/** Refreshes the DLQ queries a page shows when the server announces a change (over the live stream, fed by PostgreSQL NOTIFY; nothing polls for it). */
export function useDlqChanges(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = useRefreshDlq();
  useLiveEvents((event) => {
    if (event.kind === "dlq") refresh(event.topics);
    else if (event.kind === "resync") void refetchAfterChange(queryClient, { queryKey: trpc.dlq.pathKey() });
  });
}

/**
 * Refreshes the index status of the DLQ topics whose index round the worker just finished (its lag
 * line: records behind, when updated). Only that small query: the lists refresh on real changes.
 * While no worker runs nothing arrives here, and the status refreshes only on the slow aging timer.
 */
export function useDlqIndexRounds(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useLiveEvents((event) => {
    if (event.kind !== "dlqIndex") return;
    for (const topic of event.topics) void refetchAfterChange(queryClient, { queryKey: trpc.dlq.indexStatus.queryKey({ topic }) });
  });
}
