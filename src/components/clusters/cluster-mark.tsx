// A cluster as the console names it everywhere: its color, name and label.
import type { ClusterChoice } from "~/lib/clusters";

export function ClusterMark({ cluster }: { cluster: Pick<ClusterChoice, "name" | "label" | "color"> }) {
  return (
    <span className="cluster-mark" title={cluster.label ? `${cluster.name} (${cluster.label})` : cluster.name}>
      <span className="cluster-dot" style={{ background: cluster.color ?? "var(--muted)" }} aria-hidden />
      <span className="cluster-name mono">{cluster.name}</span>
      {cluster.label && <span className="cluster-label">{cluster.label}</span>}
    </span>
  );
}
