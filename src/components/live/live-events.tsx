"use client";

// Gives the console's pages the one live stream (live-hub.ts explains the sharing).
import { createContext, useContext, useEffect, useEffectEvent, useState, useSyncExternalStore } from "react";
import { useOptionalCluster } from "~/components/clusters/cluster-context";
import { useTRPCClient } from "~/trpc/react";
import { concernsCluster, LiveHub, type LiveEvent, type LiveStatus } from "./live-hub";

export type { LiveEvent, LiveStatus } from "./live-hub";

const LiveHubContext = createContext<LiveHub | null>(null);

export function LiveEventsProvider({ children }: { children: React.ReactNode }) {
  const client = useTRPCClient();
  const [hub] = useState(() => new LiveHub(client));
  useEffect(() => {
    hub.start();
    return () => hub.stop();
  }, [hub]);
  return <LiveHubContext.Provider value={hub}>{children}</LiveHubContext.Provider>;
}

/**
 * Calls `onEvent` with each live event while the component is mounted, and returns the stream's
 * status. `onEvent` may be a new function on every render: a render never resubscribes, nor (once,
 * through an effect that depended on it) refetches. The one stream carries every cluster's events;
 * a page of one cluster hears only those of its own (and those of none, such as jobs and resyncs).
 */
export function useLiveEvents(onEvent: (event: LiveEvent) => void): LiveStatus {
  const hub = useContext(LiveHubContext);
  if (!hub) throw new Error("useLiveEvents needs a LiveEventsProvider above it (the console layout has one)");
  const pageCluster = useOptionalCluster()?.name ?? null;
  const handle = useEffectEvent((event: LiveEvent) => {
    if (concernsCluster(event, pageCluster)) onEvent(event);
  });
  useEffect(() => hub.subscribe((event) => handle(event)), [hub]);
  return useSyncExternalStore(hub.onStatus, hub.getStatus, () => "connecting");
}
