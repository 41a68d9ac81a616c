// Topics, consumer groups, lag history and alerts: thin procedures over the lag and alert services.
import { assertMayActOn, visibleTo } from "~/server/services/auth/authorize";
import { z } from "zod";
import { listAlertsFor } from "~/server/services/alerts/alert-view";
import { createRule, listRules, removeRule, setRuleEnabled } from "~/server/services/alerts/rules";
import {
  getGroup,
  getTopic,
  groupHistory,
  latestSnapshot,
  listGroupsWithLag,
  listTopicsWithRates,
  samplerStatus,
  snapshotAnnouncements,
  TIME_RANGES,
  topicHistory,
} from "~/server/services/lag/queries";
import { STATUS_RULES } from "~/server/services/lag/status";
import { createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

const name = z.string().min(1).max(249);
const range = z.enum(TIME_RANGES);

export const lagRouter = createTRPCRouter({
  sampler: viewerProcedure.query(async ({ ctx }) => samplerStatus(await latestSnapshot(ctx.cluster.name), Date.now(), ctx.env.SAMPLER_INTERVAL_MS)),
  statusRules: viewerProcedure.query(() => STATUS_RULES),
  topics: viewerProcedure.query(async ({ ctx }) => {
    const list = await listTopicsWithRates(ctx.cluster.name);
    return { ...list, topics: visibleTo(ctx.actor, list.topics, (t) => ({ cluster: ctx.cluster.name, topics: [t.topic] })) };
  }),
  topic: viewerProcedure.input(z.object({ topic: name })).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
    return getTopic(ctx.cluster.name, input.topic);
  }),
  topicHistory: viewerProcedure.input(z.object({ topic: name, range })).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
    return topicHistory(ctx.cluster.name, input.topic, input.range);
  }),
  groups: viewerProcedure.query(async ({ ctx }) => {
    const list = await listGroupsWithLag(ctx.cluster.name);
    return { ...list, groups: visibleTo(ctx.actor, list.groups, (g) => ({ cluster: ctx.cluster.name, group: g.groupId })) };
  }),
  group: viewerProcedure.input(z.object({ groupId: name })).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, group: input.groupId });
    return getGroup(ctx.cluster.name, input.groupId);
  }),
  groupHistory: viewerProcedure.input(z.object({ groupId: name, range })).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, group: input.groupId });
    return groupHistory(ctx.cluster.name, input.groupId, input.range);
  }),

  /** Announces each new sample over SSE; pages refetch what they show, so nothing polls. */
  live: viewerProcedure.subscription(async function* ({ signal }) {
    yield* snapshotAnnouncements(signal);
  }),
});

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
