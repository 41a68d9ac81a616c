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
        <span className="brand-mark" aria-hidden>
          ◧
        </span>
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
