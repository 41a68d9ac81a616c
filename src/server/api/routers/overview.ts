import { sleep } from "~/lib/time";
import type { Actor } from "~/server/catalog";
import { mayActEverywhere, mayActOn } from "~/server/services/auth/authorize";
import { latestSnapshot } from "~/server/services/lag/queries";
import { getOverview, visibleCounts } from "~/server/services/health/overview";
import { createTRPCRouter, viewerProcedure, type TRPCContext } from "../trpc";

/** The overview for the caller: a reader limited to some topics and groups gets only their counts. */
async function overviewFor(ctx: TRPCContext & { actor: Actor }) {
  const overview = await getOverview({ cluster: ctx.cluster, workerStaleAfterMs: ctx.env.WORKER_STALE_AFTER_MS });
  if (mayActEverywhere(ctx.actor, "viewer") || !overview.counts) return overview;
  const snapshot = await latestSnapshot(ctx.cluster.name);
  const cluster = ctx.cluster.name;
  const counts = snapshot ? visibleCounts(snapshot, (topic) => mayActOn(ctx.actor, "viewer", { cluster, topics: [topic] }), (group) => mayActOn(ctx.actor, "viewer", { cluster, group })) : null;
  return { ...overview, counts, countsError: counts ? undefined : "Waiting for the first sample." };
}

export const overviewRouter = createTRPCRouter({
  get: viewerProcedure.query(({ ctx }) => overviewFor(ctx)),

  /** Pushes a fresh overview every HEALTH_PROBE_INTERVAL_MS over SSE, so the page never polls. */
  live: viewerProcedure.subscription(async function* ({ ctx, signal }) {
    while (!signal?.aborted) {
      yield await overviewFor(ctx);
      await sleep(ctx.env.HEALTH_PROBE_INTERVAL_MS, signal);
    }
  }),
});
