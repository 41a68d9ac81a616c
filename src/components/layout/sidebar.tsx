"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { UserMenu } from "~/components/auth/user-menu";
import { ClusterSwitcher } from "~/components/clusters/cluster-switcher";
import { clusterOfPath, clusterPath } from "~/lib/cluster-paths";
import type { ClusterChoice } from "~/lib/clusters";
import { HOME_AREA, PRODUCT_AREAS, type ProductArea } from "./areas";

/**
 * `clusters`: the ones the person may read, default first. Cluster areas link into the page's
 * cluster; from a global page (home, schemas, audit, settings), into the first cluster.
 */
export function Sidebar({ clusters }: { clusters: ClusterChoice[] }) {
  const pathname = usePathname();
  const router = useRouter();
  const inCluster = clusterOfPath(pathname);
  const current = inCluster ? (clusters.find((c) => c.name === inCluster.cluster) ?? null) : null;
  const target = inCluster?.cluster ?? clusters[0]?.name ?? null;

  const link = (area: ProductArea, href: string, active: boolean, testId: string) => (
    <li key={testId}>
      {/* Prefetched on intent (hover, focus), not on sight: every link in view was a server render
          each, in the first second of every page load, when the page's own queries wanted the server. */}
      <Link
        href={href}
        prefetch={false}
        onMouseEnter={() => router.prefetch(href)}
        onFocus={() => router.prefetch(href)}
        className={active ? "nav-link active" : "nav-link"}
        aria-current={active ? "page" : undefined}
        data-testid={testId}
      >
        <span className="nav-icon" aria-hidden>
          {area.icon}
        </span>
        <span>{area.label}</span>
        {!area.ready && <span className="nav-soon">soon</span>}
      </Link>
    </li>
  );

  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        {/* A plain img: an SVG of a few hundred bytes needs no image optimisation. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img className="brand-mark" src="/logo.svg" alt="" width={24} height={24} />
        Signalbox
      </div>
      <ul className="nav-home">{link(HOME_AREA, "/", pathname === "/", "nav-home")}</ul>
      <ClusterSwitcher clusters={clusters} current={current} pathname={pathname} />
      <ul>
        {PRODUCT_AREAS.map((area) => {
          if (area.scope === "global") return link(area, area.href, pathname.startsWith(area.href), `nav-${area.href}`);
          if (!target) return null;
          const rest = inCluster?.rest ?? null;
          const active = rest !== null && (area.href === "/" ? rest === "/" : rest.startsWith(area.href));
          return link(area, clusterPath(target, area.href), active, `nav-${area.href}`);
        })}
      </ul>
      <UserMenu />
    </nav>
  );
}
