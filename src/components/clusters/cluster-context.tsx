"use client";

// The cluster of the page (`/c/<cluster>/…`), for links that stay on it and live events that belong to it.
import { createContext, useCallback, useContext } from "react";
import { clusterPath } from "~/lib/cluster-paths";
import type { ClusterChoice } from "~/lib/clusters";

const ClusterContext = createContext<ClusterChoice | null>(null);

export function ClusterProvider({ cluster, children }: { cluster: ClusterChoice; children: React.ReactNode }) {
  return <ClusterContext.Provider value={cluster}>{children}</ClusterContext.Provider>;
}

/** The page's cluster; null on global pages (home, settings, audit, schemas). */
export function useOptionalCluster(): ClusterChoice | null {
  return useContext(ClusterContext);
}

export function useCluster(): ClusterChoice {
  const cluster = useContext(ClusterContext);
  if (!cluster) throw new Error("useCluster needs a page under /c/<cluster>/ (its layout provides the cluster)");
  return cluster;
}

/** Builds links to pages of the current cluster: `href("/topics")` is `/c/<cluster>/topics`. */
export function useClusterHref(): (path: string) => string {
  const { name } = useCluster();
  return useCallback((path: string) => clusterPath(name, path), [name]);
}
