// Integration: alert rules and scoped roles. An operator scoped to some consumer groups sees and
// manages only the rules whose group pattern lies inside that scope; the rest are refused, unchanged.
import { describe, expect, it } from "vitest";
import { callerAs, closeConnectionsAfterAll } from "../../../../scripts/lib/test-support";
import type { Actor } from "~/server/catalog";

const run = `scope${Date.now().toString(36)}`;
const admin: Actor = { email: "admin@signalbox.local", name: "Admin", role: "admin" };
const scoped: Actor = {
  email: "scoped-operator@signalbox.local",
  name: "Scoped Operator",
  role: null,
  grants: [{ role: "operator", scope: { clusters: [], topics: [], groups: [`${run}-pay*`], subjects: [] }, source: "test" }],
};
const rule = (name: string, groupPattern: string) => ({ name, kind: "LAG_MESSAGES" as const, threshold: 100, forMinutes: 1, groupPattern, enabled: true, webhookUrl: "" });

closeConnectionsAfterAll();

describe("alert rules under a group scope", () => {
  it("lists, creates, disables and deletes only the rules inside the scope", async () => {
    const asAdmin = await callerAs(admin);
    const everything = await asAdmin.alerts.createRule(rule(`${run} all groups`, "*"));
    const others = await asAdmin.alerts.createRule(rule(`${run} orders`, `${run}-orders`));

    const asScoped = await callerAs(scoped);
    const mine = await asScoped.alerts.createRule(rule(`${run} payments`, `${run}-payments`));
    await expect(asScoped.alerts.createRule(rule(`${run} sneaky`, "*"))).rejects.toMatchObject({ code: "FORBIDDEN" });

    const listed = (await asScoped.alerts.rules()).filter((r) => r.name.startsWith(run)).map((r) => r.name);
    expect(listed).toEqual([`${run} payments`]);

    await expect(asScoped.alerts.setRuleEnabled({ id: everything.id, enabled: false })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asScoped.alerts.deleteRule({ id: others.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await asScoped.alerts.setRuleEnabled({ id: mine.id, enabled: false });
    await asScoped.alerts.deleteRule({ id: mine.id });

    const left = (await asAdmin.alerts.rules()).filter((r) => r.name.startsWith(run));
    expect(left.map((r) => [r.name, r.enabled]).sort()).toEqual([
      [`${run} all groups`, true],
      [`${run} orders`, true],
    ]);
    for (const r of left) await asAdmin.alerts.deleteRule({ id: r.id });
  });
});
