// One local account per role, seeded for `npm run demo` and the end-to-end tests
// (SIGNALBOX_SEED_DEMO_ACCOUNTS), all with SIGNALBOX_DEMO_PASSWORD.
import type { Role } from "~/server/catalog/types";

export const DEMO_ACCOUNTS: { email: string; name: string; role: Role }[] = [
  { email: "admin@signalbox.local", name: "Ada Admin", role: "admin" },
  { email: "operator@signalbox.local", name: "Olive Operator", role: "operator" },
  { email: "architect@signalbox.local", name: "Ari Architect", role: "architect" },
  { email: "support@signalbox.local", name: "Sam Support", role: "support" },
  { email: "viewer@signalbox.local", name: "Vic Viewer", role: "viewer" },
];

export const DEFAULT_DEMO_PASSWORD = "signalbox-demo";
