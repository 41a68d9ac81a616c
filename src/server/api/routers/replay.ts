// Replay: a dry run (exact count and a sample, streamed) and starting the job it planned.
import { assertMayActOn, readerOf } from "~/server/services/auth/authorize";
import { replayJobParamsSchema, replayRequestSchema } from "~/server/services/replay/params";
import { maskerFor } from "~/server/services/masking/masking";
import { planReplay } from "~/server/services/replay/plan";
import { startReplay } from "~/server/services/replay/replay";
import { expensive, limitedScan } from "../limits";
import { createTRPCRouter, supportProcedure } from "../trpc";

export const replayRouter = createTRPCRouter({
  /** Reads, never writes; support staff plan replays, so it needs the same role as starting one. */
  dryRun: supportProcedure
    .use(expensive("replay.dryRun"))
    .input(replayRequestSchema)
    .subscription(async function* ({ ctx, input, signal }) {
      assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, topics: [input.sourceTopic, input.targetTopic] });
      yield* limitedScan(ctx, planReplay(ctx.cluster, input, signal, maskerFor(readerOf(ctx.actor, ctx.cluster.name))));
    }),
  start: supportProcedure
    .use(expensive("replay.start"))
    .input(replayJobParamsSchema)
    .mutation(({ ctx, input }) => {
      assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, topics: [input.request.sourceTopic, input.request.targetTopic] });
      return startReplay(ctx.actor, ctx.cluster, input);
    }),
});
