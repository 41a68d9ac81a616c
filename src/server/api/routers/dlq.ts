// Dead-letter queues: overview, history, grouped list, one record, the actions (support role), and
// the catalog's DLQ declarations (architect role).
import { z } from "zod";
import { checkEditedPayload, discardDlq, discardRequestSchema, dlqFilterSchema, dlqIndexSummaries, dlqOverview, editAndRedrive, editRedriveSchema, getDlqMessage, listDlqGroups, redriveRequestSchema, startRedrive } from "~/server/services/dlq/dlq";
import { dlqChanges } from "~/server/services/dlq/changes";
import { dlqHistory } from "~/server/services/dlq/history";
import { declareDlqTopic, dlqDeclarationSchema, listDlqTopics, undeclareDlqTopic } from "~/server/services/dlq/topics";
import { TIME_RANGES } from "~/server/services/lag/queries";
import { expensive } from "../limits";
import { architectProcedure, createTRPCRouter, supportProcedure, viewerProcedure } from "../trpc";

const topic = z.string().trim().min(1).max(249);

export const dlqRouter = createTRPCRouter({
  overview: viewerProcedure.query(({ ctx }) => dlqOverview(ctx.cluster)),
  /** The same numbers from the index alone (no broker call), for the Overview page's DLQ card. */
  summaries: viewerProcedure.query(({ ctx }) => dlqIndexSummaries(ctx.cluster.name)),
  history: viewerProcedure.input(z.object({ topic, range: z.enum(TIME_RANGES) })).query(({ ctx, input }) => dlqHistory(ctx.cluster.name, input.topic, input.range)),
  groups: viewerProcedure.input(z.object({ topic, filter: dlqFilterSchema.optional() })).query(({ ctx, input }) => listDlqGroups(ctx.cluster, input.topic, input.filter ?? {}, ctx.actor.role)),
  message: viewerProcedure
    .input(z.object({ topic, partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() }))
    .query(({ ctx, input }) => getDlqMessage(ctx.cluster, input.topic, input, ctx.actor.role)),
  /** Validates an edit without acting; the same check guards editAndRedrive. */
  checkEdit: viewerProcedure.input(z.object({ value: z.string().max(1_000_000), eventType: z.string().max(200).nullable() })).query(({ input }) => checkEditedPayload(input.value, input.eventType)),
  redrive: supportProcedure
    .use(expensive("dlq.redrive"))
    .input(redriveRequestSchema)
    .mutation(({ ctx, input }) => startRedrive(ctx.actor, ctx.cluster, input)),
  editAndRedrive: supportProcedure
    .use(expensive("dlq.editAndRedrive"))
    .input(editRedriveSchema)
    .mutation(({ ctx, input }) => editAndRedrive(ctx.actor, ctx.cluster, input)),
  discard: supportProcedure.input(discardRequestSchema).mutation(({ ctx, input }) => discardDlq(ctx.actor, ctx.cluster, input)),
  /** The DLQ topics that changed (records indexed, claimed, redriven, discarded; declarations); pages refetch what they show. */
  changes: viewerProcedure.subscription(async function* ({ signal }) {
    yield* dlqChanges(signal);
  }),
  /** Every DLQ topic with how it was found (name pattern, catalog declaration). */
  topics: viewerProcedure.query(({ ctx }) => listDlqTopics(ctx.cluster)),
  declare: architectProcedure.input(dlqDeclarationSchema).mutation(({ ctx, input }) => declareDlqTopic(ctx.actor, ctx.cluster, input)),
  undeclare: architectProcedure.input(z.object({ topic })).mutation(({ ctx, input }) => undeclareDlqTopic(ctx.actor, ctx.cluster.name, input.topic)),
});
