// Integration: rules stored in PostgreSQL fire and resolve on snapshots, and the webhook receives JSON.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advisoryLease, disconnectDb, listAlerts, listAudit } from "~/server/catalog";
import type { GroupSnapshot, LagSnapshot } from "~/server/services/lag/types";
import { AlertEngine } from "./engine";
import { createRule, listRules, removeRule } from "./rules";

const clusterName = `it-alerts-${Date.now()}`;
const actor = { email: "operator@signalbox.local", name: "Operator", role: "operator" as const };
const received: unknown[] = [];
let server: http.Server;
let webhookUrl = "";

const group = (totalLag: number): GroupSnapshot => ({ groupId: "billing", state: "Stable", members: [], status: "OK", totalLag, maxLag: totalLag, maxLagSeconds: null, consumeRate: 0, consumeRateByTopic: {}, partitions: [] });
const snapshot = (takenAt: number, lag: number): LagSnapshot => ({ cluster: clusterName, takenAt, cycleMs: 1, topics: [], groups: [group(lag)] });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=secret-token`;
});

afterAll(async () => {
  server.close();
  await disconnectDb();
});

describe("alert engine", () => {
  it("fires after the condition holds, posts the webhook, resolves when it clears, and audits rule changes", async () => {
    const rule = await createRule(actor, clusterName, { name: "Billing lag", kind: "LAG_MESSAGES", groupPattern: "bill*", threshold: 100, forMinutes: 1, webhookUrl, enabled: true });
    // The API never shows the webhook's query string (it may hold a token).
    expect((await listRules(clusterName))[0]).toMatchObject({ id: rule.id, webhook: new URL(webhookUrl).origin });
    expect(JSON.stringify(await listRules(clusterName))).not.toContain("secret-token");

    const engine = new AlertEngine();
    const t0 = Date.parse("2026-11-22T10:00:00Z");
    expect(await engine.onSnapshot(snapshot(t0, 500))).toEqual({ fired: 0, resolved: 0 });
    expect(await engine.onSnapshot(snapshot(t0 + 61_000, 500))).toEqual({ fired: 1, resolved: 0 });
    expect(await engine.onSnapshot(snapshot(t0 + 66_000, 500))).toEqual({ fired: 0, resolved: 0 });
    const [firing] = await listAlerts(clusterName);
    expect(firing).toMatchObject({ state: "FIRING", groupId: "billing", value: 500, webhookStatus: "204", ruleName: "Billing lag" });
    expect(received.at(-1)).toMatchObject({ status: "firing", rule: "Billing lag", consumerGroup: "billing", value: 500 });

    expect(await engine.onSnapshot(snapshot(t0 + 70_000, 10))).toEqual({ fired: 0, resolved: 1 });
    const [resolved] = await listAlerts(clusterName);
    expect(resolved).toMatchObject({ state: "RESOLVED", message: "condition cleared" });
    expect(received.at(-1)).toMatchObject({ status: "resolved", consumerGroup: "billing" });

    await removeRule(actor, rule.id);
    const audit = await listAudit({ limit: 50 });
    const actions = audit.filter((a) => a.targetId === rule.id).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["alert-rule.create", "alert-rule.delete"]));
  });

  it("refuses a rule without a threshold, naming the problem", async () => {
    await expect(createRule(actor, clusterName, { name: "x", kind: "LAG_SECONDS", groupPattern: "*", threshold: null, forMinutes: 0, webhookUrl: null, enabled: true })).rejects.toThrow(
      /lag-in-seconds rule needs a threshold/,
    );
    await expect(createRule(actor, clusterName, { name: "x", kind: "LAG_MESSAGES", groupPattern: "*", threshold: 1, forMinutes: 0, webhookUrl: "ftp://x", enabled: true })).rejects.toThrow(/http or https/);
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
