// Every area of the product, in navigation order. `coming` says what lands there, so pages that are
// not built yet tell the truth instead of showing placeholder data.
export interface ProductArea {
  href: string;
  label: string;
  icon: string;
  ready: boolean;
  summary: string;
  coming?: string[];
}

export const PRODUCT_AREAS: ProductArea[] = [
  { href: "/", label: "Overview", icon: "◉", ready: true, summary: "Cluster health, size and the state of Signalbox's own parts." },
  { href: "/topology", label: "Topology", icon: "⬡", ready: true, summary: "A live graph of services, topics and consumer groups, declared and observed." },
  { href: "/topics", label: "Topics", icon: "☰", ready: true, summary: "Every topic with partitions, offsets and produce rate." },
  { href: "/groups", label: "Consumer groups", icon: "▦", ready: true, summary: "Lag and health of every consumer group." },
  { href: "/brokers", label: "Brokers", icon: "▤", ready: true, summary: "Every broker with its rack, leadership, log dirs and configuration; unhealthy partitions." },
  { href: "/acls", label: "ACLs", icon: "◈", ready: true, summary: "Who may do what on the cluster: list, create and delete ACLs." },
  { href: "/alerts", label: "Alerts", icon: "⚑", ready: true, summary: "Rules over consumer lag, and the alerts they fire." },
  { href: "/schemas", label: "Schemas", icon: "◇", ready: true, summary: "Event types, JSON Schema versions with enforced compatibility, and live traffic conformance." },
  { href: "/messages", label: "Messages", icon: "✉", ready: true, summary: "Browse, filter and trace events." },
  { href: "/replay", label: "Replay", icon: "↻", ready: true, summary: "Replay events as durable, audited jobs." },
  {
    href: "/dlq",
    label: "DLQ",
    icon: "⚠",
    ready: true,
    summary: "Dead-letter queues: inspect, fix and redrive.",
  },
  { href: "/audit", label: "Audit", icon: "✓", ready: true, summary: "Every state-changing action: who, what and when." },
  { href: "/settings", label: "Settings", icon: "⚙", ready: true, summary: "Clusters, users and roles." },
];

export function areaFor(href: string): ProductArea {
  const area = PRODUCT_AREAS.find((a) => a.href === href);
  if (!area) throw new Error(`Unknown product area ${href}`);
  return area;
}
