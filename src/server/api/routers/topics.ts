// Topic administration: create, configure, grow, purge and delete. Reading topics is in the lag router.
import { assertMayActOn } from "~/server/services/auth/authorize";
import { checkNewTopic, createTopic, topicDefaults } from "~/server/services/topics/create-topic";
import { alterTopicConfig, deleteTopic, growTopic, purgeTopic, topicConfig } from "~/server/services/topics/manage-topic";
import { addPartitionsSchema, alterConfigSchema, createTopicSchema, purgeSchema, topicRequestSchema } from "~/server/services/topics/topics.types";
import { createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

export const topicsRouter = createTRPCRouter({
  defaults: operatorProcedure.query(({ ctx }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name });
    return topicDefaults(ctx.cluster);
  }),
  config: viewerProcedure.input(topicRequestSchema).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
    return topicConfig(ctx.cluster, input.topic);
  }),
  validate: operatorProcedure.input(createTopicSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name, topics: [input.topic] });
    return checkNewTopic(ctx.cluster, input);
  }),
  create: operatorProcedure.input(createTopicSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name, topics: [input.topic] });
    return createTopic(ctx.actor, ctx.cluster, input);
  }),
  alterConfig: operatorProcedure.input(alterConfigSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name, topics: [input.topic] });
    return alterTopicConfig(ctx.actor, ctx.cluster, input);
  }),
  addPartitions: operatorProcedure.input(addPartitionsSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name, topics: [input.topic] });
    return growTopic(ctx.actor, ctx.cluster, input);
  }),
  purge: operatorProcedure.input(purgeSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name, topics: [input.topic] });
    return purgeTopic(ctx.actor, ctx.cluster, input);
  }),
  delete: operatorProcedure.input(topicRequestSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name, topics: [input.topic] });
    return deleteTopic(ctx.actor, ctx.cluster, input.topic);
  }),
});
