import { ClusterLink } from "~/components/clusters/cluster-link";

/** Browse and Trace are two views of the same area. */
export function MessagesHeader({ active, description }: { active: "browse" | "trace"; description: string }) {
  return (
    <header className="page-header">
      <h1>Messages</h1>
      <nav className="tabs" aria-label="Messages">
        <ClusterLink href="/messages" className={active === "browse" ? "tab active" : "tab"} aria-current={active === "browse" ? "page" : undefined} data-testid="tab-browse">
          Browse
        </ClusterLink>
        <ClusterLink href="/messages/trace" className={active === "trace" ? "tab active" : "tab"} aria-current={active === "trace" ? "page" : undefined} data-testid="tab-trace">
          Trace
        </ClusterLink>
      </nav>
      <p className="muted">{description}</p>
    </header>
  );
}
