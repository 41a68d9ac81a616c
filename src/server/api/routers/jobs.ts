// Durable jobs (replay now, DLQ redrive next): history, one job, pause/resume/cancel, live changes.
import { assertMayActOn, visibleTo } from "~/server/services/auth/authorize";
import { z } from "zod";
import { cancelJob, getJob, listJobs, pauseJob, resumeJob, topicsOfJob } from "~/server/services/jobs/jobs";
import { createTRPCRouter, supportProcedure, viewerProcedure } from "../trpc";

const id = z.object({ id: z.number().int().positive() });

export const jobsRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.object({ kind: z.string().max(50).optional() }).optional())
    .query(async ({ ctx, input }) => visibleTo(ctx.actor, await listJobs(ctx.cluster.name, input?.kind), (job) => ({ cluster: ctx.cluster.name, topics: topicsOfJob(job) }))),
  get: viewerProcedure.input(id).query(async ({ ctx, input }) => {
    const job = await getJob(input.id);
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: topicsOfJob(job) });
    return job;
  }),
  pause: supportProcedure.input(id).mutation(async ({ ctx, input }) => {
    assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, topics: topicsOfJob(await getJob(input.id)) });
    return pauseJob(ctx.actor, input.id);
  }),
  resume: supportProcedure.input(id).mutation(async ({ ctx, input }) => {
    assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, topics: topicsOfJob(await getJob(input.id)) });
    return resumeJob(ctx.actor, input.id);
  }),
  cancel: supportProcedure.input(id).mutation(async ({ ctx, input }) => {
    assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, topics: topicsOfJob(await getJob(input.id)) });
    return cancelJob(ctx.actor, input.id);
  }),
});
