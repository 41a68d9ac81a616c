import { describe, expect, it } from "vitest";
import type { GroupSnapshot, LagSnapshot } from "~/server/services/lag/types";
import type { OutboxHealth } from "~/server/services/outbox/outbox.types";
import { evaluateAlerts, evaluateConnectorAlerts, evaluateOutboxAlerts, validateRule, type AlertRuleSpec, type ConditionClock, type ConnectorHealth } from "./evaluate";

function group(groupId: string, over: Partial<GroupSnapshot> = {}): GroupSnapshot {
  return { groupId, state: "Stable", members: [], status: "OK", totalLag: 0, maxLag: 0, maxLagSeconds: 0, consumeRate: 1, consumeRateByTopic: {}, partitions: [], ...over };
}
const snapshot = (...groups: GroupSnapshot[]): LagSnapshot => ({ cluster: "c", takenAt: 0, cycleMs: 1, topics: [], groups });
const rule = (over: Partial<AlertRuleSpec> = {}): AlertRuleSpec => ({ id: "r1", name: "Lag", kind: "LAG_MESSAGES", groupPattern: "*", threshold: 100, forMinutes: 0, enabled: true, ...over });

describe("evaluateAlerts", () => {
  it("fires at once when the duration is zero, only for matching groups", () => {
    const d = evaluateAlerts([rule({ groupPattern: "pay*" })], snapshot(group("payments", { totalLag: 150 }), group("orders", { totalLag: 999 })), [], new Map(), 0);
    expect(d.fire).toEqual([{ ruleId: "r1", groupId: "payments", value: 150, message: "Lag: payments lag 150 messages > 100" }]);
  });

  it("waits until the condition has held for the rule's minutes", () => {
    const clock: ConditionClock = new Map();
    const r = rule({ forMinutes: 2 });
    const s = snapshot(group("g", { totalLag: 500 }));
    expect(evaluateAlerts([r], s, [], clock, 0).fire).toHaveLength(0);
    expect(evaluateAlerts([r], s, [], clock, 60_000).fire).toHaveLength(0);
    expect(evaluateAlerts([r], s, [], clock, 120_000).fire).toHaveLength(1);
  });

  it("restarts the clock when the condition clears in between", () => {
    const clock: ConditionClock = new Map();
    const r = rule({ forMinutes: 1 });
    evaluateAlerts([r], snapshot(group("g", { totalLag: 500 })), [], clock, 0);
    evaluateAlerts([r], snapshot(group("g", { totalLag: 5 })), [], clock, 30_000);
    expect(evaluateAlerts([r], snapshot(group("g", { totalLag: 500 })), [], clock, 70_000).fire).toHaveLength(0);
  });

  it("does not fire twice while an alert is firing, and resolves when the condition clears", () => {
    const firing = [{ id: "a1", ruleId: "r1", groupId: "g" }];
    expect(evaluateAlerts([rule()], snapshot(group("g", { totalLag: 500 })), firing, new Map(), 0)).toEqual({ fire: [], resolve: [] });
    expect(evaluateAlerts([rule()], snapshot(group("g", { totalLag: 0 })), firing, new Map(), 0).resolve).toEqual([{ alert: firing[0], message: "condition cleared" }]);
  });

  it("resolves alerts of disabled rules and vanished groups", () => {
    const firing = [{ id: "a1", ruleId: "r1", groupId: "gone" }, { id: "a2", ruleId: "r2", groupId: "g" }];
    const d = evaluateAlerts([rule(), rule({ id: "r2", enabled: false })], snapshot(group("g", { totalLag: 500 })), firing, new Map(), 0);
    expect(d.resolve.map((r) => r.message)).toEqual(["group no longer exists", "rule disabled or deleted"]);
  });

  it("treats unknown lag seconds as not breaching, and watches group status ERR", () => {
    const s = snapshot(group("a", { maxLagSeconds: null }), group("b", { maxLagSeconds: 90 }), group("c", { status: "ERR" }));
    expect(evaluateAlerts([rule({ kind: "LAG_SECONDS", threshold: 60 })], s, [], new Map(), 0).fire.map((f) => f.groupId)).toEqual(["b"]);
    expect(evaluateAlerts([rule({ kind: "GROUP_STATUS_ERR", threshold: null })], s, [], new Map(), 0).fire.map((f) => f.groupId)).toEqual(["c"]);
  });
});

describe("group patterns", () => {
  it("matches on RE2, so a glob with many wildcards cannot stall the worker on a long group id", () => {
    const longId = "a".repeat(249);
    const d = evaluateAlerts([rule({ groupPattern: `${"*a".repeat(40)}*b` })], snapshot(group(longId, { totalLag: 150 })), [], new Map(), 0);
    expect(d.fire).toEqual([]);
  });

  it("skips a stored rule whose pattern is no longer usable and evaluates the others", () => {
    const rules = [rule({ id: "old", groupPattern: "+(pay|bill)*" }), rule({ id: "ok", groupPattern: "pay*" })];
    const d = evaluateAlerts(rules, snapshot(group("payments", { totalLag: 150 })), [], new Map(), 0);
    expect(d.fire.map((f) => f.ruleId)).toEqual(["ok"]);
  });
});

describe("validateRule", () => {
  it("names what is wrong", () => {
    expect(validateRule({ kind: "LAG_MESSAGES", threshold: null, groupPattern: "*", forMinutes: 0 })).toMatch(/needs a threshold/);
    expect(validateRule({ kind: "LAG_SECONDS", threshold: -1, groupPattern: "*", forMinutes: 0 })).toMatch(/lag-in-seconds rule needs a threshold/);
    expect(validateRule({ kind: "GROUP_STATUS_ERR", threshold: null, groupPattern: " ", forMinutes: 0 })).toMatch(/pattern is empty/);
    expect(validateRule({ kind: "GROUP_STATUS_ERR", threshold: null, groupPattern: "*", forMinutes: 1.5 })).toMatch(/whole minutes/);
    expect(validateRule({ kind: "LAG_MESSAGES", threshold: 10, groupPattern: "orders-*", forMinutes: 5 })).toBeNull();
    expect(validateRule({ kind: "GROUP_STATUS_ERR", threshold: null, groupPattern: "x".repeat(250), forMinutes: 0 })).toMatch(/^The glob "x+"… is 250 characters; the limit is 249\.$/);
    expect(validateRule({ kind: "GROUP_STATUS_ERR", threshold: null, groupPattern: "@(a|b)", forMinutes: 0 })).toMatch(/^The glob "@\(a\|b\)" uses "\("/);
  });
});

describe("evaluateConnectorAlerts (Kafka Connect)", () => {
  const failedRule = rule({ id: "rc", name: "Connector failed", kind: "CONNECTOR_FAILED", groupPattern: "main/*", threshold: null });
  const connector = (name: string, over: Partial<ConnectorHealth> = {}): ConnectorHealth => ({ connect: "main", name, state: "RUNNING", failedTasks: [], ...over });
  const none = new Set<string>();

  it("fires for a failed task or a failed connector matching the pattern, naming what failed", () => {
    const d = evaluateConnectorAlerts([failedRule], [connector("ok"), connector("sink", { failedTasks: [0, 2] }), connector("src", { state: "FAILED" }), { ...connector("other", { failedTasks: [0] }), connect: "cdc" }], none, [], new Map(), 0);
    expect(d.fire).toEqual([
      { ruleId: "rc", groupId: "main/sink", value: 2, message: "Connector failed: main/sink tasks 0, 2 FAILED" },
      { ruleId: "rc", groupId: "main/src", value: 0, message: "Connector failed: main/src connector FAILED" },
    ]);
  });

  it("resolves when the task runs again or the connector is gone, but not while its Connect cluster does not answer", () => {
    const firing = [{ id: "a1", ruleId: "rc", groupId: "main/sink" }];
    expect(evaluateConnectorAlerts([failedRule], [connector("sink")], none, firing, new Map(), 0).resolve).toEqual([{ alert: firing[0], message: "condition cleared" }]);
    expect(evaluateConnectorAlerts([failedRule], [], none, firing, new Map(), 0).resolve).toEqual([{ alert: firing[0], message: "connector no longer exists" }]);
    expect(evaluateConnectorAlerts([failedRule], [], new Set(["main"]), firing, new Map(), 0)).toEqual({ fire: [], resolve: [] });
  });

  it("keeps lag rules and connector rules apart: neither resolves the other's alerts", () => {
    const lagFiring = { id: "a1", ruleId: "r1", groupId: "payments" };
    const connectorFiring = { id: "a2", ruleId: "rc", groupId: "main/sink" };
    const rules = [rule(), failedRule];
    // A lag snapshot knows no connectors, a Connect snapshot no groups.
    expect(evaluateAlerts(rules, snapshot(group("payments", { totalLag: 500 })), [lagFiring, connectorFiring], new Map(), 0)).toEqual({ fire: [], resolve: [] });
    expect(evaluateConnectorAlerts(rules, [connector("sink", { failedTasks: [0] })], none, [lagFiring, connectorFiring], new Map(), 0)).toEqual({ fire: [], resolve: [] });
    // A connector rule never fires on a group whose name matches its pattern.
    expect(evaluateAlerts([rule({ kind: "CONNECTOR_FAILED", groupPattern: "*" })], snapshot(group("g", { totalLag: 1e9, status: "ERR" })), [], new Map(), 0).fire).toEqual([]);
  });

  it("needs no threshold", () => {
    expect(validateRule({ kind: "CONNECTOR_FAILED", threshold: null, groupPattern: "*", forMinutes: 0 })).toBeNull();
    expect(validateRule({ kind: "CONNECTOR_FAILED", threshold: null, groupPattern: " ", forMinutes: 0 })).toMatch(/connector pattern is empty/);
  });
});

describe("evaluateOutboxAlerts (transactional outbox)", () => {
  const stalledRule = rule({ id: "ro", name: "Relay stalled", kind: "OUTBOX_STALLED", groupPattern: "shop*", threshold: null });
  const outbox = (name: string, over: Partial<OutboxHealth> = {}): OutboxHealth => ({ name, status: "OK", unpublished: 0, oldestAgeMs: null, stallAfterSeconds: 30, ...over });
  const none = new Set<string>();

  it("fires for a stalled outbox matching the pattern, with the waiting rows and the oldest row's age", () => {
    const d = evaluateOutboxAlerts([stalledRule], [outbox("shop", { status: "STALLED", unpublished: 42, oldestAgeMs: 95_400 }), outbox("shop-eu", { unpublished: 3, oldestAgeMs: 200 }), outbox("billing", { status: "STALLED", unpublished: 1, oldestAgeMs: 99_000 })], none, [], new Map(), 0);
    expect(d.fire).toEqual([{ ruleId: "ro", groupId: "shop", value: 95, message: "Relay stalled: shop 42 rows unpublished, the oldest 95 s old (stalled after 30 s)" }]);
  });

  it("resolves when the relay caught up or the outbox is no longer watched, but not while the table cannot be read", () => {
    const firing = [{ id: "a1", ruleId: "ro", groupId: "shop" }];
    expect(evaluateOutboxAlerts([stalledRule], [outbox("shop")], none, firing, new Map(), 0).resolve).toEqual([{ alert: firing[0], message: "condition cleared" }]);
    expect(evaluateOutboxAlerts([stalledRule], [], none, firing, new Map(), 0).resolve).toEqual([{ alert: firing[0], message: "outbox no longer watched" }]);
    expect(evaluateOutboxAlerts([stalledRule], [], new Set(["shop"]), firing, new Map(), 0)).toEqual({ fire: [], resolve: [] });
  });

  it("keeps its family apart: lag and connector evaluations leave outbox alerts alone, and the reverse", () => {
    const outboxFiring = { id: "a3", ruleId: "ro", groupId: "shop" };
    const lagFiring = { id: "a1", ruleId: "r1", groupId: "payments" };
    const rules = [rule(), stalledRule];
    expect(evaluateAlerts(rules, snapshot(group("payments", { totalLag: 500 })), [lagFiring, outboxFiring], new Map(), 0)).toEqual({ fire: [], resolve: [] });
    expect(evaluateOutboxAlerts(rules, [outbox("shop", { status: "STALLED", unpublished: 1, oldestAgeMs: 60_000 })], none, [lagFiring, outboxFiring], new Map(), 0)).toEqual({ fire: [], resolve: [] });
    expect(evaluateAlerts([rule({ kind: "OUTBOX_STALLED", groupPattern: "*" })], snapshot(group("shop", { totalLag: 1e9, status: "ERR" })), [], new Map(), 0).fire).toEqual([]);
  });

  it("needs no threshold, and names the outbox in an empty pattern's error", () => {
    expect(validateRule({ kind: "OUTBOX_STALLED", threshold: null, groupPattern: "*", forMinutes: 0 })).toBeNull();
    expect(validateRule({ kind: "OUTBOX_STALLED", threshold: null, groupPattern: "", forMinutes: 0 })).toMatch(/outbox pattern is empty; use \* for every outbox/);
  });
});
