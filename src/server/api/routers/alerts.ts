// Alerts and alert rules: thin procedures over the alert services.
import { z } from "zod";
import { listAlertsFor } from "~/server/services/alerts/alert-view";
import { createRule, listRules, removeRule, setRuleEnabled } from "~/server/services/alerts/rules";
import { visibleTo } from "~/server/services/auth/authorize";
import { createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

const ruleInput = z.object({
  name: z.string().trim().min(1, "Give the rule a name.").max(120),
  kind: z.enum(["LAG_MESSAGES", "LAG_SECONDS", "GROUP_STATUS_ERR"]),
  groupPattern: z.string().trim().min(1).max(249).default("*"),
  threshold: z.number().nonnegative().nullable().default(null),
  forMinutes: z.number().int().min(0).max(1440).default(0),
  webhookUrl: z.string().trim().max(2000).nullable().default(null),
  enabled: z.boolean().default(true),
});

export const alertsRouter = createTRPCRouter({
  /** Everyone sees each webhook delivery's state; only operators and admins see why (alert-view.ts). */
  list: viewerProcedure.query(async ({ ctx }) => visibleTo(ctx.actor, await listAlertsFor(ctx.actor.role, ctx.cluster.name), (a) => ({ cluster: ctx.cluster.name, group: a.groupId }))),
  rules: viewerProcedure.query(({ ctx }) => listRules(ctx.cluster.name)),
  createRule: operatorProcedure.input(ruleInput).mutation(({ ctx, input }) => createRule(ctx.actor, ctx.cluster.name, { ...input, webhookUrl: input.webhookUrl || null })),
  setRuleEnabled: operatorProcedure.input(z.object({ id: z.string().min(1).max(100), enabled: z.boolean() })).mutation(({ ctx, input }) => setRuleEnabled(ctx.actor, input.id, input.enabled)),
  deleteRule: operatorProcedure.input(z.object({ id: z.string().min(1).max(100) })).mutation(({ ctx, input }) => removeRule(ctx.actor, input.id)),
});
