"use client";

// A /c/<cluster>/ URL whose cluster Signalbox does not know (a typo, or a cluster removed since the link was made).
import Link from "next/link";
import { usePathname } from "next/navigation";
import { clusterOfPath } from "~/lib/cluster-paths";

export default function UnknownCluster() {
  const name = clusterOfPath(usePathname())?.cluster ?? "";
  return (
    <div className="page">
      <div className="card empty-state" data-testid="unknown-cluster">
        <h1>No cluster named “{name}”</h1>
        <p>
          Signalbox knows the clusters in its configuration and those added in Settings, and none is named <span className="mono">{name}</span>. Pick one on the{" "}
          <Link href="/">clusters home</Link>.
        </p>
      </div>
    </div>
  );
}
