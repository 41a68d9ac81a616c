// Resetting consumer group offsets: a preview (dry run) and the audited reset.
import { assertMayActOn } from "~/server/services/auth/authorize";
import { executeReset, previewReset, resetRequestSchema } from "~/server/services/groups/reset-offsets";
import { createTRPCRouter, supportProcedure, viewerProcedure } from "../trpc";

export const groupOffsetsRouter = createTRPCRouter({
  preview: viewerProcedure.input(resetRequestSchema).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, group: input.groupId, topics: [input.topic] });
    return previewReset(ctx.cluster, input);
  }),
  reset: supportProcedure.input(resetRequestSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, group: input.groupId, topics: [input.topic] });
    return executeReset(ctx.actor, ctx.cluster, input);
  }),
});
