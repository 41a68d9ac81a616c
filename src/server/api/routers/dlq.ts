// Dead-letter queues: overview, history, grouped list, one record, the actions (support role), and
// the catalog's DLQ declarations (architect role).
import { assertMayActOn, visibleTo, readerOf } from "~/server/services/auth/authorize";
import { checkEditedPayload, discardDlq, dlqIndexSummaries, dlqOverview, editAndRedrive, getDlqMessage, listDlqGroups, startRedrive } from "~/server/services/dlq/dlq";
import {
  checkEditInput,
  discardRequestSchema,
  dlqDeclarationSchema,
  dlqGroupsInput,
  dlqHistoryInput,
  dlqMessageInput,
  dlqTopicInput,
  editRedriveSchema,
  redriveRequestSchema,
} from "~/server/services/dlq/dlq.types";
import { readDlqIndexStatus } from "~/server/services/dlq/index-lag";
import { dlqHistory } from "~/server/services/dlq/history";
import { declareDlqTopic, listDlqTopics, requireDlqTopic, undeclareDlqTopic } from "~/server/services/dlq/topics";
import { expensive } from "../limits";
import { architectProcedure, createTRPCRouter, supportProcedure, viewerProcedure } from "../trpc";

/** Every topic an action names (the DLQ, a chosen target, a fallback), for the scope check. */
const topicsOf = (...topics: (string | null | undefined)[]) => topics.filter((t): t is string => Boolean(t));

export const dlqRouter = createTRPCRouter({
  overview: viewerProcedure.query(async ({ ctx }) => visibleTo(ctx.actor, await dlqOverview(ctx.cluster), (t) => ({ cluster: ctx.cluster.name, topics: [t.topic] }))),
  /** The same numbers from the index alone (no broker call), for the Overview page's DLQ card. */
  summaries: viewerProcedure.query(async ({ ctx }) => visibleTo(ctx.actor, await dlqIndexSummaries(ctx.cluster.name), (s) => ({ cluster: ctx.cluster.name, topics: [s.topic] }))),
  history: viewerProcedure.input(dlqHistoryInput).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
    return dlqHistory(ctx.cluster.name, input.topic, input.range);
  }),
  groups: viewerProcedure.input(dlqGroupsInput).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
    return listDlqGroups(ctx.cluster, input.topic, input.filter, readerOf(ctx.actor, ctx.cluster.name));
  }),
  message: viewerProcedure
    .input(dlqMessageInput)
    .query(({ ctx, input }) => {
      assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
      return getDlqMessage(ctx.cluster, input.topic, input, readerOf(ctx.actor, ctx.cluster.name));
    }),
  /** Validates an edit without acting; the same check guards editAndRedrive. */
  checkEdit: viewerProcedure.input(checkEditInput).query(({ input }) => checkEditedPayload(input.value, input.eventType)),
  redrive: supportProcedure
    .use(expensive("dlq.redrive"))
    .input(redriveRequestSchema)
    .mutation(({ ctx, input }) => {
      assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, topics: topicsOf(input.topic, input.targetTopic, input.fallbackTopic) });
      return startRedrive(ctx.actor, ctx.cluster, input);
    }),
  editAndRedrive: supportProcedure
    .use(expensive("dlq.editAndRedrive"))
    .input(editRedriveSchema)
    .mutation(({ ctx, input }) => {
      assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, topics: topicsOf(input.topic, input.targetTopic, input.fallbackTopic) });
      return editAndRedrive(ctx.actor, ctx.cluster, input);
    }),
  discard: supportProcedure.input(discardRequestSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, topics: [input.topic] });
    return discardDlq(ctx.actor, ctx.cluster, input);
  }),
  /** How far behind one DLQ's index is (per partition) and whether a worker is running to catch it up. Reads only. */
  indexStatus: viewerProcedure.input(dlqTopicInput).query(async ({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
    await requireDlqTopic(ctx.cluster.name, input.topic);
    return readDlqIndexStatus(ctx.cluster, input.topic);
  }),
  /** Every DLQ topic with how it was found (name pattern, catalog declaration). */
  topics: viewerProcedure.query(async ({ ctx }) => visibleTo(ctx.actor, await listDlqTopics(ctx.cluster), (t) => ({ cluster: ctx.cluster.name, topics: [t.topic] }))),
  declare: architectProcedure.input(dlqDeclarationSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { cluster: ctx.cluster.name, topics: topicsOf(input.topic, input.sourceTopic) });
    return declareDlqTopic(ctx.actor, ctx.cluster, input);
  }),
  undeclare: architectProcedure.input(dlqTopicInput).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { cluster: ctx.cluster.name, topics: [input.topic] });
    return undeclareDlqTopic(ctx.actor, ctx.cluster.name, input.topic);
  }),
});
