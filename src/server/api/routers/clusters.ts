import { addCluster, editCluster, listClustersView, removeCluster, testCluster } from "~/server/services/clusters/clusters";
import { clusterId, clusterInput, testClusterInput, updateClusterInput } from "~/server/services/clusters/clusters.types";
import { z } from "zod";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../trpc";

export const clustersRouter = createTRPCRouter({
  list: viewerProcedure.query(({ ctx }) => listClustersView(ctx.env)),
  create: adminProcedure.input(clusterInput).mutation(({ ctx, input }) => addCluster(ctx.actor, ctx.env, input)),
  update: adminProcedure.input(updateClusterInput).mutation(({ ctx, input }) => editCluster(ctx.actor, ctx.env, input)),
  remove: adminProcedure.input(z.object({ id: clusterId })).mutation(({ ctx, input }) => removeCluster(ctx.actor, input.id)),
  test: adminProcedure.input(testClusterInput).mutation(({ ctx, input }) => testCluster(ctx.actor, ctx.env, input)),
});
