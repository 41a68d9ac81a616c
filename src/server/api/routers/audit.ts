import { z } from "zod";
import { listAudit } from "~/server/catalog";
import { createTRPCRouter, viewerProcedure } from "../trpc";

export const auditRouter = createTRPCRouter({
  list: viewerProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100), beforeId: z.string().regex(/^\d+$/).optional() }))
    .query(({ input }) => listAudit(input)),
});
