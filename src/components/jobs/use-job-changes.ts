"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useLiveEvents } from "~/components/live/live-events";
import { useTRPC } from "~/trpc/react";
import { refetchAfterChange } from "~/components/live/refetch";

/** Refetches the job queries the page shows whenever the worker reports a change (over the live stream; nothing polls). */
export function useJobChanges(): boolean {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useLiveEvents((event) => {
    if (event.kind === "job") {
      void refetchAfterChange(queryClient, { queryKey: trpc.jobs.get.queryKey({ id: event.id }) });
      void refetchAfterChange(queryClient, { queryKey: trpc.jobs.list.pathKey() });
    } else if (event.kind === "resync") {
      void refetchAfterChange(queryClient, { queryKey: trpc.jobs.pathKey() });
    }
  });
  return status === "open";
}
