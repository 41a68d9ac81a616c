"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback } from "react";
import { useKeptAlive } from "~/components/live/use-kept-alive";
import { useTRPC } from "~/trpc/react";

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
      void queryClient.invalidateQueries({ queryKey: trpc.dlq.overview.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.dlq.summaries.queryKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.dlq.topics.queryKey() });
      for (const topic of topics) {
        void queryClient.invalidateQueries({ queryKey: trpc.dlq.indexStatus.queryKey({ topic }) });
        void queryClient.invalidateQueries({ queryKey: trpc.dlq.groups.queryKey({ topic }) });
        void queryClient.invalidateQueries({ queryKey: trpc.dlq.history.queryKey({ topic }) });
        void queryClient.invalidateQueries({ queryKey: trpc.dlq.message.queryKey({ topic }) });
      }
    },
    [queryClient, trpc],
  );
}

/**
 * Refreshes the DLQ queries a page shows when the server announces a change (SSE fed by PostgreSQL
 * NOTIFY; nothing polls for it). After the stream was down (the web or the database restarted), it is
 * reopened and every DLQ query is read again: the changes announced meanwhile are lost.
 */
export function useDlqChanges(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = useRefreshDlq();
  const subscription = useSubscription(trpc.dlq.changes.subscriptionOptions(undefined, { onData: ({ topics }) => refresh(topics) }));
  useKeptAlive(
    subscription,
    useCallback(() => void queryClient.invalidateQueries({ queryKey: trpc.dlq.pathKey() }), [queryClient, trpc]),
  );
}

/**
 * Refreshes the index status of the DLQ topics whose index round the worker just finished (its lag
 * line: records behind, when updated). Only that small query: the lists refresh on real changes.
 * While no worker runs nothing arrives here, and the status refreshes only on the slow aging timer.
 */
export function useDlqIndexRounds(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const subscription = useSubscription(
    trpc.dlq.indexRounds.subscriptionOptions(undefined, {
      onData: ({ topics }) => {
        for (const topic of topics) void queryClient.invalidateQueries({ queryKey: trpc.dlq.indexStatus.queryKey({ topic }) });
      },
    }),
  );
  useKeptAlive(
    subscription,
    useCallback(() => void queryClient.invalidateQueries({ queryKey: trpc.dlq.indexStatus.pathKey() }), [queryClient, trpc]),
  );
}
