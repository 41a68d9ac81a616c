// Integration: the outbox monitor against a real PostgreSQL outbox table (the demo shop's, in the
// shape Debezium's outbox router expects), as the worker runs it after a sampler cycle: rows
// waiting, a relay that has stalled and the OUTBOX_STALLED alert it raises, the relay catching up
// (the alert resolves and a publish rate shows), an outbox whose relay deletes what it published
// (the rate from PostgreSQL's statistics), and tables that cannot be read.
import { beforeAll, describe, expect, it } from "vitest";
import { ensureDatabase, shopDatabaseUrl } from "../../../../scripts/lib/database";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { openShopDatabase, type ShopDatabase } from "~/demo/shop-database";
import { getEnv, parseEnv } from "~/env";
import { createEnvelope } from "~/lib/envelope";
import { sleep } from "~/lib/time";
import { listAlerts, recordOutboxSamples } from "~/server/catalog";
import { closeOutboxReaders } from "~/server/outbox/reader";
import { AlertEngine } from "~/server/services/alerts/engine";
import { createRule } from "~/server/services/alerts/rules";
import { OutboxWatcher } from "./monitor";
import { outboxOverview } from "./outbox";

const base = getEnv();
const run = Date.now().toString(36);
const url = `${shopDatabaseUrl(base.DATABASE_URL)}_outbox_it`;
const operator = { email: "operator@signalbox.local", name: "Olu Operator", role: "operator" as const };
const cluster = base.KAFKA_CLUSTER_NAME;
const monitor = (over: object) => ({ url, table: "shop.outbox", publishedColumn: "published_at", stallAfterSeconds: 1, ...over });
const env = parseEnv({
  ...process.env,
  OUTBOX_MONITORS: JSON.stringify([
    monitor({ name: `it-outbox-${run}` }),
    // The same table watched as if its relay deleted what it published.
    monitor({ name: `it-outbox-deleting-${run}`, publishedColumn: null, stallAfterSeconds: 3600 }),
    monitor({ name: `it-outbox-missing-${run}`, table: "shop.no_such_outbox" }),
    monitor({ name: `it-outbox-refused-${run}`, url: "postgresql://reader:hunter2-secret@127.0.0.1:1/shop" }),
  ]),
});

let shop: ShopDatabase;

async function placeOrders(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const orderId = `ord-${run}-${i}-${Math.random().toString(36).slice(2, 6)}`;
    await shop.placeOrder({ id: orderId, customerId: "cust-1", total: 10, currency: "EUR" }, createEnvelope({ eventType: "OrderPlaced", source: "order-service", data: { orderId } }));
  }
}

beforeAll(async () => {
  await ensureDatabase(url, { reset: true });
  shop = await openShopDatabase(url);
});

closeConnectionsAfterAll(async () => {
  await closeOutboxReaders();
  await shop?.close();
});

describe("the outbox monitor on a real PostgreSQL outbox table", () => {
  it("sees rows waiting, calls a relay stalled once the oldest row waits too long, and alerts until it catches up", async () => {
    const watcher = new OutboxWatcher(env, cluster);
    const engine = new AlertEngine();
    const rule = await createRule(operator, cluster, { name: `Relay stalled ${run}`, kind: "OUTBOX_STALLED", groupPattern: `it-outbox-${run}`, threshold: null, forMinutes: 0, webhookUrl: null, enabled: true });
    const alertsOfRule = async () => (await listAlerts(cluster)).filter((a) => a.ruleId === rule.id);

    await placeOrders(5);
    // No relay runs: after the monitor's 1 s, the oldest row has waited too long.
    await sleep(1500);
    const stalled = (await watcher.round())!;
    expect(stalled.snapshot.outboxes.find((o) => o.name === `it-outbox-${run}`)).toMatchObject({ status: "STALLED", unpublished: 5 });
    expect(stalled.snapshot.outboxes.find((o) => o.name === `it-outbox-${run}`)!.oldestAgeMs).toBeGreaterThan(1000);
    await recordOutboxSamples(stalled.samples);
    expect(await engine.onOutboxes(stalled.snapshot)).toMatchObject({ fired: 1 });
    expect(await alertsOfRule()).toMatchObject([{ state: "FIRING", groupId: `it-outbox-${run}`, ruleKind: "OUTBOX_STALLED", message: expect.stringMatching(new RegExp(`^Relay stalled ${run}: it-outbox-${run} 5 rows unpublished, the oldest \\d+ s old \\(stalled after 1 s\\)$`)) }]);

    // The relay runs (publishing is the demo's business; here it only marks the rows).
    expect(await shop.relayBatch(100, async () => undefined)).toBe(5);
    const caughtUp = (await watcher.round())!;
    const sample = caughtUp.samples.find((s) => s.outbox === `it-outbox-${run}`)!;
    expect(sample).toMatchObject({ status: "OK", unpublished: 0, oldestAgeMs: null, error: null });
    expect(sample.publishedPerSec).toBeGreaterThan(0);
    await recordOutboxSamples(caughtUp.samples);
    expect(await engine.onOutboxes(caughtUp.snapshot)).toMatchObject({ resolved: 1 });
    expect(await alertsOfRule()).toMatchObject([{ state: "RESOLVED", message: "condition cleared" }]);

    // What the page reads: the history of each outbox, and where it lives without the credentials.
    const view = await outboxOverview(env, cluster, 60);
    const shown = view.outboxes.find((o) => o.name === `it-outbox-${run}`)!;
    expect(shown.history.map((p) => p.status)).toEqual(["STALLED", "OK"]);
    expect(shown).toMatchObject({ table: "shop.outbox", publishedColumn: "published_at", latest: { status: "OK", unpublished: 0 } });
    expect(shown.database).toMatch(/^127\.0\.0\.1:\d+\/signalbox_it\w*_shop_outbox_it$/);
    expect(JSON.stringify(view)).not.toMatch(/hunter2|postgresql:\/\//);
  });

  it("derives the publish rate from the table's deletes when the relay deletes what it published", async () => {
    const watcher = new OutboxWatcher(env, cluster);
    const name = `it-outbox-deleting-${run}`;
    await placeOrders(4);
    const before = (await watcher.round())!.snapshot.outboxes.find((o) => o.name === name)!;
    // Every row in the table counts as waiting when there is no published column.
    expect(before.unpublished).toBeGreaterThanOrEqual(4);
    await shop.relayBatch(100, async () => undefined);
    await shop.prune(0);
    // A backend that goes idle hands its statistics to pg_stat_user_tables after up to 10 s
    // (PostgreSQL 15+), so the deletes show in a later reading.
    let rate: number | null = null;
    for (let attempt = 0; attempt < 60 && !rate; attempt += 1) {
      await sleep(500);
      rate = (await watcher.round())!.samples.find((s) => s.outbox === name)!.publishedPerSec;
    }
    expect(rate).toBeGreaterThan(0);
    expect((await watcher.round())!.snapshot.outboxes.find((o) => o.name === name)).toMatchObject({ unpublished: 0, status: "OK" });
  });

  it("records a table it cannot read, and a database that refuses it, with the reason and never the password", async () => {
    const { snapshot, samples } = (await new OutboxWatcher(env, cluster).round())!;
    expect(snapshot.unreachable.sort()).toEqual([`it-outbox-missing-${run}`, `it-outbox-refused-${run}`].sort());
    expect(samples.find((s) => s.outbox === `it-outbox-missing-${run}`)).toMatchObject({ status: "UNREACHABLE", error: expect.stringContaining('relation "shop.no_such_outbox" does not exist') });
    const refused = samples.find((s) => s.outbox === `it-outbox-refused-${run}`)!;
    expect(refused).toMatchObject({ status: "UNREACHABLE", error: expect.stringMatching(/ECONNREFUSED|connect/) });
    expect(refused.error).not.toContain("hunter2");
  });
});
