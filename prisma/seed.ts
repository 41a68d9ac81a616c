// Seeds the catalog for a new installation and for the demo: a first admin (SIGNALBOX_ADMIN_*), the
// demo accounts when asked for (SIGNALBOX_SEED_DEMO_ACCOUNTS), the configured cluster, and the demo
// system's services and event types with their schemas. Safe to run again: existing rows are left alone.
import { DEMO_ACCOUNTS } from "~/demo/accounts";
import { DEMO_EVENT_TYPES } from "~/demo/event-schemas";
import { DEMO_FLOWS, DEMO_SERVICES } from "~/demo/order-flow";
import { getEnv } from "~/env";
import { disconnectDb, ensureAccount, writeAudit, type Actor, type Role } from "~/server/catalog";
import { hashPassword } from "~/server/services/auth/passwords";
import { defaultClusterDefinition, syncConfiguredClusters } from "~/server/services/clusters/active-cluster";
import { ensureFlow } from "~/server/services/flows/flows";
import { applyDeclaredCatalog } from "~/server/services/schemas/declared-catalog";

/** What the audit log names as the author of seeded rows. */
const SETUP: Actor = { email: "setup@signalbox.local", name: "Signalbox setup", role: "admin", kind: "system", method: "system" };


async function main() {
  const env = getEnv();
  const accounts: { email: string; name: string; role: Role; password: string }[] = [];
  if (env.SIGNALBOX_ADMIN_EMAIL && env.SIGNALBOX_ADMIN_PASSWORD) accounts.push({ email: env.SIGNALBOX_ADMIN_EMAIL.toLowerCase(), name: "Administrator", role: "admin", password: env.SIGNALBOX_ADMIN_PASSWORD });
  if (env.SIGNALBOX_SEED_DEMO_ACCOUNTS) accounts.push(...DEMO_ACCOUNTS.map((a) => ({ ...a, password: env.SIGNALBOX_DEMO_PASSWORD })));
  const created: string[] = [];
  for (const account of accounts) {
    const outcome = await ensureAccount({ email: account.email, name: account.name, role: account.role, passwordHash: await hashPassword(account.password) });
    if (outcome !== "unchanged") created.push(account.email);
  }
  // Each cluster recorded is audited on its own (cluster.configure).
  const clusters = await syncConfiguredClusters(env);
  if (created.length > 0) {
    await writeAudit({ actor: SETUP, action: "catalog.seed", targetType: "catalog", targetId: "seed", details: { accountsCreated: created } });
  }
  console.log(`Catalog seeded: ${created.length} account(s) created, ${clusters.changed.length ? `cluster(s) ${clusters.changed.map((n) => `"${n}"`).join(", ")} recorded` : "clusters unchanged"}.`);

  const schemas = await applyDeclaredCatalog(SETUP, defaultClusterDefinition(env).name, { services: DEMO_SERVICES, eventTypes: DEMO_EVENT_TYPES });
  console.log(
    `Schema catalog seeded: ${schemas.servicesCreated.length} service(s), ${schemas.eventTypesCreated.length} event type(s), ${schemas.versionsCreated.length} schema version(s), ${schemas.producersCreated} producer(s), ${schemas.subscriptionsCreated} subscription(s) added.`,
  );
  for (const refusal of schemas.refused) console.log(`  not seeded (incompatible with the catalog as it is): ${refusal}`);
  const flowsDeclared: string[] = [];
  for (const flow of DEMO_FLOWS) if (await ensureFlow(SETUP, defaultClusterDefinition(env).name, flow)) flowsDeclared.push(flow.name);
  if (flowsDeclared.length) console.log(`Flows declared: ${flowsDeclared.join(", ")}.`);
}

main()
  .catch((error) => {
    console.error(`Seeding failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
