// Alerts and alert rules: thin procedures over the alert services.
import { listAlertsFor } from "~/server/services/alerts/alert-view";
import { ruleIdInput, ruleInput, setRuleEnabledInput } from "~/server/services/alerts/alerts.types";
import { createRule, listRules, removeRule, setRuleEnabled } from "~/server/services/alerts/rules";
import { visibleTo } from "~/server/services/auth/authorize";
import { createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

export const alertsRouter = createTRPCRouter({
  /** Everyone sees each webhook delivery's state; only operators and admins see why (alert-view.ts). */
  list: viewerProcedure.query(async ({ ctx }) => visibleTo(ctx.actor, await listAlertsFor(ctx.actor.role, ctx.cluster.name), (a) => ({ cluster: ctx.cluster.name, group: a.groupId }))),
  rules: viewerProcedure.query(({ ctx }) => listRules(ctx.cluster.name)),
  createRule: operatorProcedure.input(ruleInput).mutation(({ ctx, input }) => createRule(ctx.actor, ctx.cluster.name, { ...input, webhookUrl: input.webhookUrl || null })),
  setRuleEnabled: operatorProcedure.input(setRuleEnabledInput).mutation(({ ctx, input }) => setRuleEnabled(ctx.actor, input.id, input.enabled)),
  deleteRule: operatorProcedure.input(ruleIdInput).mutation(({ ctx, input }) => removeRule(ctx.actor, input.id)),
});
