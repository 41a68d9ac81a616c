// Replay: a dry run (exact count and a sample, streamed) and starting the job it planned.
import { replayJobParamsSchema, replayRequestSchema } from "~/server/services/replay/params";
import { planReplay } from "~/server/services/replay/plan";
import { startReplay } from "~/server/services/replay/replay";
import { appStream } from "../stream";
import { createTRPCRouter, supportProcedure } from "../trpc";

export const replayRouter = createTRPCRouter({
  /** Reads, never writes; support staff plan replays, so it needs the same role as starting one. */
  dryRun: supportProcedure.input(replayRequestSchema).subscription(async function* ({ ctx, input, signal }) {
    yield* appStream(planReplay(ctx.cluster, input, signal));
  }),
  start: supportProcedure.input(replayJobParamsSchema).mutation(({ ctx, input }) => startReplay(ctx.actor, ctx.cluster, input)),
});
