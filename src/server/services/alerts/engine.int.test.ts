// Integration (real PostgreSQL and pg-boss, real HTTP servers on 127.0.0.1): rules fire and
// resolve on snapshots, the sampler only queues webhook deliveries, and the worker's deliveries
// obey the address policy, refuse redirects, time out and retry. Every request goes to 127.0.0.1;
// refused targets are refused before any connection is attempted.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import { advisoryLease, createAlertRule, listAlerts, listAudit, openAlert, recordWebhookStatus, resolveAlert, workWebhookDeliveries, type AlertRow } from "~/server/catalog";
import type { GroupSnapshot, LagSnapshot } from "~/server/services/lag/types";
import { AlertEngine } from "./engine";
import { createRule, listRules, removeRule } from "./rules";
import { deliverWebhook } from "./webhook-delivery";
import { runWebhookDelivery } from "./webhook-jobs";
import { webhookPolicy, type WebhookPolicy } from "./webhook-policy";

const actor = { email: "operator@signalbox.local", name: "Operator", role: "operator" as const };
/** These tests' receivers listen on 127.0.0.1, which production refuses unless allowlisted. */
const LOCAL = webhookPolicy(["127.0.0.1"]);
const NONE = webhookPolicy([]);

interface Receiver {
  url: string;
  requests: { path: string; host: string | undefined; body: unknown }[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records each request and answers with `respond` (or never). */
async function receiver(respond: (res: http.ServerResponse) => void = (res) => res.writeHead(204).end()): Promise<Receiver> {
  const requests: Receiver["requests"] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests.push({ path: req.url ?? "", host: req.headers.host, body: body ? JSON.parse(body) : null });
      respond(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const receivers: Receiver[] = [];
async function newReceiver(respond?: (res: http.ServerResponse) => void): Promise<Receiver> {
  const r = await receiver(respond);
  receivers.push(r);
  return r;
}

let stopWorker: (() => Promise<void>) | null = null;
/** The worker's side: deliver queued webhooks under `policy`. */
async function startDeliveries(policy: WebhookPolicy, timeoutMs = 2000): Promise<void> {
  stopWorker = await workWebhookDeliveries(2, (job, attempt) => runWebhookDelivery(job, attempt, { policy, timeoutMs }));
}

let clusterSeq = 0;
const newCluster = () => `it-alerts-${Date.now()}-${(clusterSeq += 1)}`;
const group = (totalLag: number): GroupSnapshot => ({ groupId: "billing", state: "Stable", members: [], status: "OK", totalLag, maxLag: totalLag, maxLagSeconds: null, consumeRate: 0, consumeRateByTopic: {}, partitions: [] });
const snapshot = (cluster: string, takenAt: number, lag: number): LagSnapshot => ({ cluster, takenAt, cycleMs: 1, topics: [], groups: [group(lag)] });
const t0 = Date.parse("2026-11-22T10:00:00Z");
const ruleFor = (webhookUrl: string | null) => ({ name: "Billing lag", kind: "LAG_MESSAGES" as const, groupPattern: "bill*", threshold: 100, forMinutes: 0, webhookUrl, enabled: true });

async function onlyAlert(cluster: string): Promise<AlertRow> {
  const alerts = await listAlerts(cluster);
  expect(alerts).toHaveLength(1);
  return alerts[0]!;
}

/** Waits until the alert's delivery has left PENDING (polling the catalog; no time is asserted). */
async function settled(cluster: string): Promise<AlertRow> {
  return vi.waitFor(
    async () => {
      const alert = await onlyAlert(cluster);
      if (alert.webhookState === "PENDING") throw new Error(`still pending: ${alert.webhookReason}`);
      return alert;
    },
    { timeout: 60_000, interval: 100 },
  );
}

afterEach(async () => {
  await stopWorker?.();
  stopWorker = null;
});

closeConnectionsAfterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

describe("alert engine", () => {
  it("fires after the condition holds, delivers through the queue, resolves when it clears, and audits rule changes", async () => {
    const cluster = newCluster();
    const hook = await newReceiver();
    const webhookUrl = `${hook.url}/hook?token=secret-token`;
    const rule = await createRule(actor, cluster, { ...ruleFor(webhookUrl), forMinutes: 1 }, LOCAL);
    // The API never shows the webhook's query string (it may hold a token).
    expect((await listRules(cluster))[0]).toMatchObject({ id: rule.id, webhook: hook.url });
    expect(JSON.stringify(await listRules(cluster))).not.toContain("secret-token");
    await startDeliveries(LOCAL);

    const engine = new AlertEngine();
    expect(await engine.onSnapshot(snapshot(cluster, t0, 500))).toEqual({ fired: 0, resolved: 0 });
    expect(await engine.onSnapshot(snapshot(cluster, t0 + 61_000, 500))).toEqual({ fired: 1, resolved: 0 });
    expect(await engine.onSnapshot(snapshot(cluster, t0 + 66_000, 500))).toEqual({ fired: 0, resolved: 0 });
    expect(await settled(cluster)).toMatchObject({ state: "FIRING", groupId: "billing", value: 500, webhookState: "DELIVERED", webhookReason: "HTTP 204", ruleName: "Billing lag" });
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]).toMatchObject({ path: "/hook?token=secret-token", body: { status: "firing", rule: "Billing lag", consumerGroup: "billing", value: 500 } });

    expect(await engine.onSnapshot(snapshot(cluster, t0 + 70_000, 10))).toEqual({ fired: 0, resolved: 1 });
    expect(await settled(cluster)).toMatchObject({ state: "RESOLVED", message: "condition cleared", webhookState: "DELIVERED" });
    await vi.waitFor(() => expect(hook.requests).toHaveLength(2), { timeout: 60_000, interval: 100 });
    expect(hook.requests[1]).toMatchObject({ body: { status: "resolved", consumerGroup: "billing" } });

    await removeRule(actor, rule.id);
    const audit = await listAudit({ limit: 50 });
    const actions = audit.filter((a) => a.targetId === rule.id).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["alert-rule.create", "alert-rule.delete"]));
  });

  it("returns from onSnapshot with the delivery only queued; the queue delivers it afterwards", async () => {
    const cluster = newCluster();
    // Answers only when the test says so, so the delivery can be seen in flight.
    const held: http.ServerResponse[] = [];
    const hook = await newReceiver((res) => held.push(res));
    await createRule(actor, cluster, ruleFor(`${hook.url}/held`), LOCAL);

    // No delivery worker yet: if onSnapshot delivered itself, the receiver would have a request.
    expect(await new AlertEngine().onSnapshot(snapshot(cluster, t0, 500))).toEqual({ fired: 1, resolved: 0 });
    expect(await onlyAlert(cluster)).toMatchObject({ webhookState: "PENDING", webhookReason: "queued" });
    expect(hook.requests).toHaveLength(0);

    await startDeliveries(LOCAL);
    await vi.waitFor(() => expect(held).toHaveLength(1), { timeout: 60_000, interval: 100 });
    expect((await onlyAlert(cluster)).webhookState).toBe("PENDING");
    held[0]!.writeHead(200).end();
    expect(await settled(cluster)).toMatchObject({ webhookState: "DELIVERED", webhookReason: "HTTP 200" });
  });

  it("refuses a rule whose webhook leads to an internal address when it is saved, naming the rule and the allowlist", async () => {
    const cluster = newCluster();
    const refused = [
      ["http://169.254.169.254/latest/meta-data/iam/security-credentials/?token=s3cret", /^Alert rule "Metadata": address 169\.254\.169\.254 is a cloud metadata service\. .*WEBHOOK_ALLOWED_HOSTS/],
      ["http://[::ffff:169.254.169.254]/latest/meta-data/?token=s3cret", /^Alert rule "Metadata": address 169\.254\.169\.254 is a cloud metadata service\..*WEBHOOK_ALLOWED_HOSTS/],
      ["http://localhost:9/hook?token=s3cret", /^Alert rule "Metadata": localhost is loopback \(127\.0\.0\.1\)\..*WEBHOOK_ALLOWED_HOSTS/],
      ["http://10.0.0.5/hook?token=s3cret", /^Alert rule "Metadata": address 10\.0\.0\.5 is private\..*WEBHOOK_ALLOWED_HOSTS/],
      ["http://127.0.0.1:9/hook?token=s3cret", /^Alert rule "Metadata": address 127\.0\.0\.1 is loopback\..*WEBHOOK_ALLOWED_HOSTS/],
    ] as const;
    for (const [webhookUrl, message] of refused) {
      const attempt = createRule(actor, cluster, { ...ruleFor(webhookUrl), name: "Metadata" }, NONE);
      await expect(attempt).rejects.toThrow(message);
      // The URL's secret never comes back in the message.
      await expect(attempt).rejects.not.toThrow(/s3cret/);
    }
    expect(await listRules(cluster)).toEqual([]);
  });

  it("refuses at send time a name that resolves to a refused address, without connecting", async () => {
    const cluster = newCluster();
    const hook = await newReceiver();
    const port = new URL(hook.url).port;
    // Stored straight into the catalog, as a rule saved before this policy (or a changed DNS) would be.
    await createAlertRule(cluster, ruleFor(`http://localhost:${port}/hook?token=x`), actor.email);
    await new AlertEngine().onSnapshot(snapshot(cluster, t0, 500));
    await startDeliveries(NONE);
    const alert = await settled(cluster);
    expect(alert.webhookState).toBe("FAILED");
    expect(alert.webhookReason).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), which is loopback$/);
    expect(hook.requests).toHaveLength(0);
  });

  it("refuses a redirect: the redirect's target receives nothing, and the delivery is failed", async () => {
    const cluster = newCluster();
    const target = await newReceiver();
    const redirector = await newReceiver((res) => res.writeHead(302, { location: `${target.url}/stolen` }).end());
    await createRule(actor, cluster, ruleFor(`${redirector.url}/hook`), LOCAL);
    await new AlertEngine().onSnapshot(snapshot(cluster, t0, 500));
    await startDeliveries(LOCAL);
    expect(await settled(cluster)).toMatchObject({ webhookState: "FAILED", webhookReason: "redirect refused (HTTP 302)" });
    expect(redirector.requests).toHaveLength(1);
    expect(target.requests).toHaveLength(0);
  });

  it("times out a receiver that never answers, retries it, and then records the failure", async () => {
    const cluster = newCluster();
    const hung = await newReceiver(() => undefined);
    await createRule(actor, cluster, ruleFor(`${hung.url}/hook`), LOCAL);
    await new AlertEngine({ retry: { attempts: 2, retryDelaySeconds: 1 } }).onSnapshot(snapshot(cluster, t0, 500));
    await startDeliveries(LOCAL, 300);
    expect(await settled(cluster)).toMatchObject({ webhookState: "FAILED", webhookReason: "timeout after 300 ms (after 2 attempts)" });
    expect(hung.requests).toHaveLength(2);
  });

  it("does not let a late outcome of the firing delivery overwrite the resolved one's", async () => {
    const cluster = newCluster();
    const failing = await newReceiver((res) => res.writeHead(500).end());
    const rule = await createAlertRule(cluster, ruleFor(`${failing.url}/hook`), actor.email);
    const fired = await openAlert({ ruleId: rule.id, groupId: "billing", value: 500, message: "lag", firedAt: new Date(t0) });
    await resolveAlert(fired.id, new Date(t0 + 60_000), "condition cleared");
    await recordWebhookStatus(fired.id, "DELIVERED", "HTTP 204");
    const last = { number: 5, of: 5 };

    await runWebhookDelivery({ alertId: fired.id, alertState: "FIRING", ruleId: rule.id, payload: { status: "firing" } }, last, { policy: LOCAL });
    expect(failing.requests).toHaveLength(1);
    expect(await onlyAlert(cluster)).toMatchObject({ state: "RESOLVED", webhookState: "DELIVERED", webhookReason: "HTTP 204" });

    await runWebhookDelivery({ alertId: fired.id, alertState: "RESOLVED", ruleId: rule.id, payload: { status: "resolved" } }, last, { policy: LOCAL });
    expect(await onlyAlert(cluster)).toMatchObject({ webhookState: "FAILED", webhookReason: "HTTP 500 (after 5 attempts)" });
  });
});

describe("webhook delivery", () => {
  it("connects to the address it checked, not to whatever the name resolves to later", async () => {
    const hook = await newReceiver();
    const port = new URL(hook.url).port;
    let lookups = 0;
    // A name only this resolver knows: the system resolver cannot find it, so a request that
    // arrives went to the pinned address. The Host header still names the URL's host.
    const resolve = async () => {
      lookups += 1;
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const outcome = await deliverWebhook(`http://hooks.signalbox.test:${port}/pinned`, { ping: 1 }, { policy: LOCAL, resolve });
    expect(outcome).toEqual({ ok: true, reason: "HTTP 204" });
    expect(lookups).toBe(1);
    expect(hook.requests.at(-1)).toMatchObject({ path: "/pinned", host: `hooks.signalbox.test:${port}`, body: { ping: 1 } });
  });

  it("refuses metadata and private targets before connecting, whatever the name", async () => {
    const resolve = async (host: string) => [{ address: host === "meta.signalbox.test" ? "::ffff:169.254.169.254" : "10.0.0.5", family: 6 }];
    expect(await deliverWebhook("http://169.254.169.254/latest/meta-data/", {}, { policy: NONE, resolve })).toEqual({ ok: false, retry: false, reason: "address 169.254.169.254 is a cloud metadata service" });
    expect(await deliverWebhook("http://meta.signalbox.test/", {}, { policy: NONE, resolve })).toEqual({ ok: false, retry: false, reason: "meta.signalbox.test resolves to 169.254.169.254, which is a cloud metadata service" });
    expect(await deliverWebhook("http://[fd00:ec2::254]/", {}, { policy: NONE, resolve })).toEqual({ ok: false, retry: false, reason: "address fd00:ec2::254 is a cloud metadata service" });
  });
});

describe("sampler lease", () => {
  it("lets exactly one holder sample, and passes to the next when released", async () => {
    const a = advisoryLease(4242);
    const b = advisoryLease(4242);
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    expect(await a.tryAcquire()).toBe(true);
    await a.release();
    expect(await b.tryAcquire()).toBe(true);
    await b.release();
  });
});
