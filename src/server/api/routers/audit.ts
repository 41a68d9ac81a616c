import { z } from "zod";
import { auditResource } from "~/server/services/audit/visible";
import { mayActEverywhere, mayActOn } from "~/server/services/auth/authorize";
import { listAudit } from "~/server/catalog";
import { createTRPCRouter, globalViewerProcedure } from "../trpc";

export const auditRouter = createTRPCRouter({
  list: globalViewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100), beforeId: z.string().regex(/^\d+$/).optional() }))
    .query(async ({ ctx, input }) => {
      const entries = await listAudit(input);
      if (mayActEverywhere(ctx.actor, "viewer")) return entries;
      return entries.filter((entry) => {
        // Entries do not record their cluster: a scoped reader sees those of the default cluster's names.
        const resource = auditResource(entry, ctx.cluster.name);
        return resource !== null && mayActOn(ctx.actor, "viewer", resource);
      });
    }),
});
