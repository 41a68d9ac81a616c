"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "~/trpc/react";

/** Refetches the job queries the page shows whenever the worker reports a change (SSE; nothing polls). */
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
  return subscription.status === "pending";
}
