// Seeds the catalog for a new installation and for the demo: the configured user, one user per role,
// the configured cluster, and the demo system's services and event types with their schemas.
// Safe to run again: existing rows are left alone.
import { DEMO_EVENT_TYPES } from "~/demo/event-schemas";
import { DEMO_SERVICES } from "~/demo/order-flow";
import { getEnv } from "~/env";
import { disconnectDb, ensureUser, listUsers, writeAudit, type Actor } from "~/server/catalog";
import { syncConfiguredCluster } from "~/server/services/clusters/active-cluster";
import { applyDeclaredCatalog } from "~/server/services/schemas/declared-catalog";

const DEMO_USERS: Actor[] = [
  { email: "operator@signalbox.local", name: "Olive Operator", role: "operator" },
  { email: "architect@signalbox.local", name: "Ari Architect", role: "architect" },
  { email: "support@signalbox.local", name: "Sam Support", role: "support" },
  { email: "viewer@signalbox.local", name: "Vic Viewer", role: "viewer" },
];

async function main() {
  const env = getEnv();
  const admin: Actor = { email: env.SIGNALBOX_USER_EMAIL, name: env.SIGNALBOX_USER_NAME, role: env.SIGNALBOX_USER_ROLE };
  const before = new Set((await listUsers()).map((u) => u.email));
  for (const user of [admin, ...DEMO_USERS]) await ensureUser(user);
  const created = [admin, ...DEMO_USERS].filter((u) => !before.has(u.email)).map((u) => u.email);
  const cluster = await syncConfiguredCluster(env);
  if (created.length > 0 || cluster.changed) {
    await writeAudit({ actor: admin, action: "catalog.seed", targetType: "catalog", targetId: "seed", details: { usersCreated: created, clusterRecorded: cluster.changed ? env.KAFKA_CLUSTER_NAME : null } });
  }
  console.log(`Catalog seeded: ${created.length} user(s) created, cluster "${env.KAFKA_CLUSTER_NAME}" ${cluster.changed ? "recorded" : "unchanged"}.`);

  const schemas = await applyDeclaredCatalog(admin, env.KAFKA_CLUSTER_NAME, { services: DEMO_SERVICES, eventTypes: DEMO_EVENT_TYPES });
  console.log(
    `Schema catalog seeded: ${schemas.servicesCreated.length} service(s), ${schemas.eventTypesCreated.length} event type(s), ${schemas.versionsCreated.length} schema version(s), ${schemas.producersCreated} producer(s), ${schemas.subscriptionsCreated} subscription(s) added.`,
  );
  for (const refusal of schemas.refused) console.log(`  not seeded (incompatible with the catalog as it is): ${refusal}`);
}

main()
  .catch((error) => {
    console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
