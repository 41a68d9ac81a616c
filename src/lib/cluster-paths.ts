// Where a cluster's pages live: `/c/<cluster>/…`. One place builds and reads these paths, so links,
// the old URLs' redirects and the cluster switcher agree (browser and server both use it).

/** The sections that show one cluster; everything else (home, settings, audit, schemas) is global. */
export const CLUSTER_SECTIONS = ["topics", "groups", "brokers", "acls", "connect", "topology", "dlq", "replay", "messages", "alerts"] as const;

const PREFIX = "/c/";

/** `/c/<cluster>` + `path`; the cluster's overview is `/c/<cluster>` (Next.js drops a trailing slash). */
export function clusterPath(cluster: string, path = "/"): string {
  const rest = path === "/" || path === "" ? "" : path.startsWith("/") || path.startsWith("?") ? path : `/${path}`;
  return `${PREFIX}${encodeURIComponent(cluster)}${rest}`;
}

/** The cluster a path is under and the rest of the path ("/" for the overview); null for global pages. */
export function clusterOfPath(pathname: string): { cluster: string; rest: string } | null {
  if (!pathname.startsWith(PREFIX)) return null;
  const after = pathname.slice(PREFIX.length);
  const slash = after.indexOf("/");
  const encoded = slash === -1 ? after : after.slice(0, slash);
  if (!encoded) return null;
  let cluster: string;
  try {
    cluster = decodeURIComponent(encoded);
  } catch {
    return null;
  }
  return { cluster, rest: slash === -1 ? "/" : after.slice(slash) };
}

function sectionOf(path: string): string | undefined {
  return path.split("/")[1];
}

/**
 * Where an old, cluster-less URL of a cluster page now lives: `/topics/x?y` becomes
 * `/c/<default>/topics/x?y`. Null for paths that were never a cluster page (they stay where they are).
 */
export function legacyRedirect(pathname: string, search: string, defaultCluster: string): string | null {
  const section = sectionOf(pathname);
  if (!section || !(CLUSTER_SECTIONS as readonly string[]).includes(section)) return null;
  return `${clusterPath(defaultCluster, pathname)}${search}`;
}

/**
 * The same page on another cluster, for the switcher. Lists and forms carry over as they are; a page
 * of one thing (a topic, a group, a job) goes to its section's list, since a topic or job of one
 * cluster is a different thing (or nothing) on another. Query strings name things of the cluster
 * left behind, so they are dropped. Global pages lead to the other cluster's overview.
 */
export function switchClusterPath(pathname: string, target: string): string {
  const current = clusterOfPath(pathname);
  if (!current) return clusterPath(target, "/");
  const parts = current.rest.split("/").filter(Boolean);
  const section = parts[0];
  if (!section || !(CLUSTER_SECTIONS as readonly string[]).includes(section)) return clusterPath(target, "/");
  const keeps = parts.length === 1 || (section === "messages" && parts[1] === "trace" && parts.length === 2) || (section === "topics" && parts[1] === "new" && parts.length === 2);
  return clusterPath(target, keeps ? `/${parts.join("/")}` : `/${section}`);
}

/** The request header the browser's tRPC calls name their cluster in. */
export const CLUSTER_HEADER = "x-signalbox-cluster";
