// Alerts and alert rules: thin procedures over the alert services.
import { listAlertsFor } from "~/server/services/alerts/alert-view";
import { ruleIdInput, ruleInput, setRuleEnabledInput } from "~/server/services/alerts/alerts.types";
import { createRule, findRule, listRules, removeRule, setRuleEnabled } from "~/server/services/alerts/rules";
import { assertMayActOn, visibleTo } from "~/server/services/auth/authorize";
import { createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

// A rule names a group pattern, not one group. A reader or operator scoped to some groups sees and
// manages the rules whose pattern lies inside their scope: the pattern, taken as a name, must match
// one of the scope's patterns ("pay*" and "payments" inside "pay*"; "*" inside no narrower scope).
const ruleScope = (cluster: string, groupPattern: string) => ({ cluster, group: groupPattern });

export const alertsRouter = createTRPCRouter({
  /** Everyone sees each webhook delivery's state; only operators and admins see why (alert-view.ts). */
  list: viewerProcedure.query(async ({ ctx }) => visibleTo(ctx.actor, await listAlertsFor(ctx.actor.role, ctx.cluster.name), (a) => ({ cluster: ctx.cluster.name, group: a.groupId }))),
  rules: viewerProcedure.query(async ({ ctx }) => visibleTo(ctx.actor, await listRules(ctx.cluster.name), (r) => ruleScope(ctx.cluster.name, r.groupPattern))),
  createRule: operatorProcedure.input(ruleInput).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", ruleScope(ctx.cluster.name, input.groupPattern));
    return createRule(ctx.actor, ctx.cluster.name, { ...input, webhookUrl: input.webhookUrl || null });
  }),
  setRuleEnabled: operatorProcedure.input(setRuleEnabledInput).mutation(async ({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", ruleScope(ctx.cluster.name, (await findRule(ctx.cluster.name, input.id)).groupPattern));
    return setRuleEnabled(ctx.actor, input.id, input.enabled);
  }),
  deleteRule: operatorProcedure.input(ruleIdInput).mutation(async ({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", ruleScope(ctx.cluster.name, (await findRule(ctx.cluster.name, input.id)).groupPattern));
    return removeRule(ctx.actor, input.id);
  }),
});
