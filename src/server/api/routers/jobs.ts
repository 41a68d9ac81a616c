// Durable jobs (replay now, DLQ redrive next): history, one job, pause/resume/cancel, live changes.
import { z } from "zod";
import { cancelJob, getJob, jobChanges, listJobs, pauseJob, resumeJob } from "~/server/services/jobs/jobs";
import { createTRPCRouter, supportProcedure, viewerProcedure } from "../trpc";

const id = z.object({ id: z.number().int().positive() });

export const jobsRouter = createTRPCRouter({
  list: viewerProcedure.input(z.object({ kind: z.string().max(50).optional() }).optional()).query(({ ctx, input }) => listJobs(ctx.cluster.name, input?.kind)),
  get: viewerProcedure.input(id).query(({ input }) => getJob(input.id)),
  pause: supportProcedure.input(id).mutation(({ ctx, input }) => pauseJob(ctx.actor, input.id)),
  resume: supportProcedure.input(id).mutation(({ ctx, input }) => resumeJob(ctx.actor, input.id)),
  cancel: supportProcedure.input(id).mutation(({ ctx, input }) => cancelJob(ctx.actor, input.id)),
  /** The id of each job that changed; pages refetch what they show. */
  changes: viewerProcedure.subscription(async function* ({ signal }) {
    yield* jobChanges(signal);
  }),
});
