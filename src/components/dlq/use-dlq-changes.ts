"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "~/trpc/react";

/** Changes come over the subscription; this slow refetch only moves time-based figures on (ages, the 5-minute inflow window, the chart's edge). */
export const AGING_REFRESH_MS = 60_000;

/**
 * Refetches the DLQ queries a page shows when the server announces a change (SSE fed by
 * PostgreSQL NOTIFY; nothing polls for it): the overview and summaries always, the lists, charts
 * and records only of the topics that changed.
 */
export function useDlqChanges(): void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useSubscription(
    trpc.dlq.changes.subscriptionOptions(undefined, {
      onData: ({ topics }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.dlq.overview.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.dlq.summaries.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.dlq.topics.queryKey() });
        for (const topic of topics) {
          void queryClient.invalidateQueries({ queryKey: trpc.dlq.groups.queryKey({ topic }) });
          void queryClient.invalidateQueries({ queryKey: trpc.dlq.history.queryKey({ topic }) });
          void queryClient.invalidateQueries({ queryKey: trpc.dlq.message.queryKey({ topic }) });
        }
      },
    }),
  );
}
