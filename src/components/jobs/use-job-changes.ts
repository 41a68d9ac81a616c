"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback } from "react";
import { useKeptAlive } from "~/components/live/use-kept-alive";
import { useTRPC } from "~/trpc/react";

/**
 * Refetches the job queries the page shows whenever the worker reports a change (SSE; nothing polls).
 * The stream is reopened after the web restarts, and every job query is read again then.
 */
export function useJobChanges(): boolean {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const subscription = useSubscription(
    trpc.jobs.changes.subscriptionOptions(undefined, {
      onData: ({ id }) => {
        void queryClient.invalidateQueries({ queryKey: trpc.jobs.get.queryKey({ id }) });
        void queryClient.invalidateQueries({ queryKey: trpc.jobs.list.pathKey() });
      },
    }),
  );
  useKeptAlive(
    subscription,
    useCallback(() => void queryClient.invalidateQueries({ queryKey: trpc.jobs.pathKey() }), [queryClient, trpc]),
  );
  return subscription.status === "pending";
}
