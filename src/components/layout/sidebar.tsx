"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { UserMenu } from "~/components/auth/user-menu";
import { PRODUCT_AREAS } from "./areas";

export function Sidebar() {
  const pathname = usePathname();
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        {/* A plain img: an SVG of a few hundred bytes needs no image optimisation. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img className="brand-mark" src="/logo.svg" alt="" width={24} height={24} />
        Signalbox
      </div>
      <ul>
        {PRODUCT_AREAS.map((area) => {
          const active = area.href === "/" ? pathname === "/" : pathname.startsWith(area.href);
          return (
            <li key={area.href}>
              <Link href={area.href} className={active ? "nav-link active" : "nav-link"} aria-current={active ? "page" : undefined} data-testid={`nav-${area.href}`}>
                <span className="nav-icon" aria-hidden>
                  {area.icon}
                </span>
                <span>{area.label}</span>
                {!area.ready && <span className="nav-soon">soon</span>}
              </Link>
            </li>
          );
        })}
      </ul>
      <UserMenu />
    </nav>
  );
}
