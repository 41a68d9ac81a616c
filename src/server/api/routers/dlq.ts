// Dead-letter queues: overview, grouped list, one record, and the actions (support role to act).
import { z } from "zod";
import { checkEditedPayload, discardDlq, discardRequestSchema, dlqFilterSchema, dlqOverview, editAndRedrive, editRedriveSchema, getDlqMessage, listDlqGroups, redriveRequestSchema, startRedrive } from "~/server/services/dlq/dlq";
import { createTRPCRouter, supportProcedure, viewerProcedure } from "../trpc";

const topic = z.string().trim().min(1).max(249);

export const dlqRouter = createTRPCRouter({
  overview: viewerProcedure.query(({ ctx }) => dlqOverview(ctx.cluster)),
  groups: viewerProcedure.input(z.object({ topic, filter: dlqFilterSchema.optional() })).query(({ ctx, input }) => listDlqGroups(ctx.cluster, input.topic, input.filter ?? {})),
  message: viewerProcedure
    .input(z.object({ topic, partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() }))
    .query(({ ctx, input }) => getDlqMessage(ctx.cluster, input.topic, input)),
  /** Validates an edit without acting; the same check guards editAndRedrive. */
  checkEdit: viewerProcedure.input(z.object({ value: z.string().max(1_000_000), eventType: z.string().nullable() })).query(({ input }) => checkEditedPayload(input.value, input.eventType)),
  redrive: supportProcedure.input(redriveRequestSchema).mutation(({ ctx, input }) => startRedrive(ctx.actor, ctx.cluster, input)),
  editAndRedrive: supportProcedure.input(editRedriveSchema).mutation(({ ctx, input }) => editAndRedrive(ctx.actor, ctx.cluster, input)),
  discard: supportProcedure.input(discardRequestSchema).mutation(({ ctx, input }) => discardDlq(ctx.actor, ctx.cluster, input)),
});
