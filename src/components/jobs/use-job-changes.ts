"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useLiveEvents } from "~/components/live/live-events";
import { useTRPC } from "~/trpc/react";

/** Refetches the job queries the page shows whenever the worker reports a change (over the live stream; nothing polls). */
export function useJobChanges(): boolean {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useLiveEvents((event) => {
    if (event.kind === "job") {
      void queryClient.invalidateQueries({ queryKey: trpc.jobs.get.queryKey({ id: event.id }) });
      void queryClient.invalidateQueries({ queryKey: trpc.jobs.list.pathKey() });
    } else if (event.kind === "resync") {
      void queryClient.invalidateQueries({ queryKey: trpc.jobs.pathKey() });
    }
  });
  return status === "open";
}
