import { sleep } from "~/lib/time";
import { getOverview } from "~/server/services/health/overview";
import { createTRPCRouter, viewerProcedure } from "../trpc";

export const overviewRouter = createTRPCRouter({
  get: viewerProcedure.query(({ ctx }) => getOverview({ cluster: ctx.cluster, workerStaleAfterMs: ctx.env.WORKER_STALE_AFTER_MS })),

  /** Pushes a fresh overview every HEALTH_PROBE_INTERVAL_MS over SSE, so the page never polls. */
  live: viewerProcedure.subscription(async function* ({ ctx, signal }) {
    while (!signal?.aborted) {
      yield await getOverview({ cluster: ctx.cluster, workerStaleAfterMs: ctx.env.WORKER_STALE_AFTER_MS });
      await sleep(ctx.env.HEALTH_PROBE_INTERVAL_MS, signal);
    }
  }),
});
