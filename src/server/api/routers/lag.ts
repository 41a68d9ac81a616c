// Topics, consumer groups and lag history: thin procedures over the lag services.
import { assertMayActOn, viewFilter, visibleTo } from "~/server/services/auth/authorize";
import { groupsPageInput, topicsPageInput } from "~/server/services/lag/list-pages.types";
import { z } from "zod";
import {
  getGroup,
  getTopic,
  groupHistory,
  latestSampleHead,
  listGroupsPage,
  listGroupsWithLag,
  listTopicsPage,
  listTopicsWithRates,
  samplerStatus,
  TIME_RANGES,
  topicHistory,
} from "~/server/services/lag/queries";
import { STATUS_RULES } from "~/server/services/lag/status";
import { createTRPCRouter, viewerProcedure } from "../trpc";

const name = z.string().min(1).max(249);
const range = z.enum(TIME_RANGES);

export const lagRouter = createTRPCRouter({
  sampler: viewerProcedure.query(async ({ ctx }) => samplerStatus(await latestSampleHead(ctx.cluster.name), Date.now(), ctx.env.SAMPLER_INTERVAL_MS)),
  statusRules: viewerProcedure.query(() => STATUS_RULES),
  topics: viewerProcedure.query(async ({ ctx }) => {
    const list = await listTopicsWithRates(ctx.cluster.name);
    return { ...list, topics: visibleTo(ctx.actor, list.topics, (t) => ({ cluster: ctx.cluster.name, topics: [t.topic] })) };
  }),
  /** A filtered, sorted window of the topics list (the topics page). */
  topicsPage: viewerProcedure.input(topicsPageInput).query(({ ctx, input }) =>
    listTopicsPage(ctx.cluster.name, input, viewFilter(ctx.actor, (t) => ({ cluster: ctx.cluster.name, topics: [t.topic] }))),
  ),
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
  /** A filtered, sorted window of the consumer groups list, with the status counts (the groups page). */
  groupsPage: viewerProcedure.input(groupsPageInput).query(({ ctx, input }) =>
    listGroupsPage(ctx.cluster.name, input, viewFilter(ctx.actor, (g) => ({ cluster: ctx.cluster.name, group: g.groupId }))),
  ),
  group: viewerProcedure.input(z.object({ groupId: name })).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, group: input.groupId });
    return getGroup(ctx.cluster.name, input.groupId);
  }),
  groupHistory: viewerProcedure.input(z.object({ groupId: name, range })).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, group: input.groupId });
    return groupHistory(ctx.cluster.name, input.groupId, input.range);
  }),
});
