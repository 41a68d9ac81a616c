import { listClusters } from "~/server/catalog";
import { createTRPCRouter, viewerProcedure } from "../trpc";

export const clustersRouter = createTRPCRouter({
  list: viewerProcedure.query(() => listClusters()),
});
