"use client";

// The cluster switcher at the top of the sidebar: the current cluster's name, label and color, and a
// menu of the others. Picking one opens the same page on it where that page exists
// (switchClusterPath). Keyboard: Enter, Space or ↓ opens it, ↑/↓/Home/End move, Escape closes and
// returns to the button; the items are links, so Enter follows one.
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { switchClusterPath } from "~/lib/cluster-paths";
import type { ClusterChoice } from "~/lib/clusters";
import { ClusterMark } from "./cluster-mark";

export function ClusterSwitcher({ clusters, current, pathname }: { clusters: ClusterChoice[]; current: ClusterChoice | null; pathname: string }) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLAnchorElement>("[role=menuitem]") ?? []);
  const focusItem = (index: number) => {
    const all = items();
    if (all.length === 0) return;
    all[(index + all.length) % all.length]!.focus();
  };

  useEffect(() => {
    if (!open) return;
    // The current cluster first, so Enter right away keeps it.
    const all = items();
    const at = all.findIndex((a) => a.dataset.cluster === current?.name);
    all[Math.max(0, at)]?.focus();
    const close = (event: MouseEvent) => {
      if (!menu.current?.contains(event.target as Node) && !button.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", close);
    return () => document.removeEventListener("mousedown", close);
  }, [open, current?.name]);

  // Navigating (a pick, or any other link) closes the menu.
  const [shownFor, setShownFor] = useState(pathname);
  if (shownFor !== pathname) {
    setShownFor(pathname);
    setOpen(false);
  }

  const onMenuKey = (event: React.KeyboardEvent) => {
    const all = items();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (event.key === "ArrowDown") focusItem(at + 1);
    else if (event.key === "ArrowUp") focusItem(at - 1);
    else if (event.key === "Home") focusItem(0);
    else if (event.key === "End") focusItem(all.length - 1);
    else if (event.key === "Escape" || event.key === "Tab") {
      setOpen(false);
      if (event.key === "Escape") button.current?.focus();
      if (event.key === "Tab") return;
    } else return;
    event.preventDefault();
  };

  if (clusters.length === 0) return null;
  return (
    <div className="cluster-switcher" data-testid="cluster-switcher">
      <button
        ref={button}
        type="button"
        className="cluster-switcher-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label={current ? `Cluster ${current.name}${current.label ? ` (${current.label})` : ""}: switch cluster` : "Choose a cluster"}
        style={current?.color ? { borderLeftColor: current.color } : undefined}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(event) => {
          if (event.key === "ArrowDown" && !open) {
            event.preventDefault();
            setOpen(true);
          }
        }}
        data-testid="cluster-switcher-button"
      >
        <span className="muted small cluster-switcher-caption">Cluster</span>
        {current ? <ClusterMark cluster={current} /> : <span className="muted">All clusters</span>}
        <span className="cluster-switcher-caret" aria-hidden>
          ▾
        </span>
      </button>
      {open && (
        <ul ref={menu} id={menuId} role="menu" aria-label="Clusters" className="cluster-switcher-menu" onKeyDown={onMenuKey} data-testid="cluster-switcher-menu">
          {clusters.map((c) => (
            <li key={c.name} role="none">
              <Link
                role="menuitem"
                href={switchClusterPath(pathname, c.name)}
                className={c.name === current?.name ? "cluster-switcher-item current" : "cluster-switcher-item"}
                aria-current={c.name === current?.name ? "true" : undefined}
                tabIndex={-1}
                data-cluster={c.name}
                data-testid="cluster-switcher-item"
              >
                <ClusterMark cluster={c} />
                {c.isDefault && <span className="muted small">default</span>}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
