// Resetting consumer group offsets: a preview (dry run) and the audited reset.
import { executeReset, previewReset, resetRequestSchema } from "~/server/services/groups/reset-offsets";
import { createTRPCRouter, supportProcedure, viewerProcedure } from "../trpc";

export const groupOffsetsRouter = createTRPCRouter({
  preview: viewerProcedure.input(resetRequestSchema).query(({ ctx, input }) => previewReset(ctx.cluster, input)),
  reset: supportProcedure.input(resetRequestSchema).mutation(({ ctx, input }) => executeReset(ctx.actor, ctx.cluster, input)),
});
