// Every area of the product, in navigation order. `coming` says what lands there, so pages that are
// not built yet tell the truth instead of showing placeholder data. Cluster areas live under
// /c/<cluster>/ (`href` is the path within the cluster); global areas are the same for every cluster.
export interface ProductArea {
  href: string;
  label: string;
  icon: string;
  ready: boolean;
  summary: string;
  scope: "cluster" | "global";
  coming?: string[];
}

export const HOME_AREA: ProductArea = { href: "/", label: "Clusters", icon: "◎", ready: true, scope: "global", summary: "Every cluster: health, lag, failing groups, growing DLQs and alerts." };

export const PRODUCT_AREAS: ProductArea[] = [
  { href: "/", label: "Overview", icon: "◉", ready: true, scope: "cluster", summary: "Cluster health, size and the state of Signalbox's own parts." },
  { href: "/topology", label: "Topology", icon: "⬡", ready: true, scope: "cluster", summary: "A live graph of services, topics and consumer groups, declared and observed." },
  { href: "/topics", label: "Topics", icon: "☰", ready: true, scope: "cluster", summary: "Every topic with partitions, offsets and produce rate." },
  { href: "/groups", label: "Consumer groups", icon: "▦", ready: true, scope: "cluster", summary: "Lag and health of every consumer group." },
  { href: "/brokers", label: "Brokers", icon: "▤", ready: true, scope: "cluster", summary: "Every broker with its rack, leadership, log dirs and configuration; unhealthy partitions." },
  { href: "/acls", label: "ACLs", icon: "◈", ready: true, scope: "cluster", summary: "Who may do what on the cluster: list, create and delete ACLs." },
  { href: "/connect", label: "Connect", icon: "⇄", ready: true, scope: "cluster", summary: "Kafka Connect: connectors and their tasks, their states and dead-letter topics; create, pause, resume, restart, delete." },
  { href: "/flows", label: "Flows", icon: "⤳", ready: true, scope: "cluster", summary: "Sagas followed by correlation id: running, stuck, compensated and completed instances, step latency, duplicates." },
  { href: "/outbox", label: "Outbox", icon: "⇪", ready: true, scope: "cluster", summary: "Transactional outbox tables: rows waiting for the relay, the age of the oldest, the publish rate." },
  { href: "/alerts", label: "Alerts", icon: "⚑", ready: true, scope: "cluster", summary: "Rules over consumer lag, and the alerts they fire." },
  { href: "/messages", label: "Messages", icon: "✉", ready: true, scope: "cluster", summary: "Browse, filter and trace events." },
  { href: "/replay", label: "Replay", icon: "↻", ready: true, scope: "cluster", summary: "Replay events as durable, audited jobs." },
  { href: "/dlq", label: "DLQ", icon: "⚠", ready: true, scope: "cluster", summary: "Dead-letter queues: inspect, fix and redrive." },
  { href: "/schemas", label: "Schemas", icon: "◇", ready: true, scope: "global", summary: "Event types, JSON Schema versions with enforced compatibility, and live traffic conformance." },
  { href: "/audit", label: "Audit", icon: "✓", ready: true, scope: "global", summary: "Every state-changing action: who, what and when." },
  { href: "/settings", label: "Settings", icon: "⚙", ready: true, scope: "global", summary: "Clusters, users and roles." },
];
