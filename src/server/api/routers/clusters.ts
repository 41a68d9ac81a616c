import { addCluster, editCluster, listClustersView, removeCluster, testCluster } from "~/server/services/clusters/clusters";
import { clustersHome } from "~/server/services/clusters/home";
import { clusterId, clusterInput, testClusterInput, updateClusterInput } from "~/server/services/clusters/clusters.types";
import { z } from "zod";
import { adminProcedure, createTRPCRouter, globalViewerProcedure } from "../trpc";

export const clustersRouter = createTRPCRouter({
  list: globalViewerProcedure.query(({ ctx }) => listClustersView(ctx.env)),
  /** The home page: every cluster the caller may read, with its health and the worker's latest figures. */
  home: globalViewerProcedure.query(({ ctx }) => clustersHome(ctx.env, ctx.actor)),
  create: adminProcedure.input(clusterInput).mutation(({ ctx, input }) => addCluster(ctx.actor, ctx.env, input)),
  update: adminProcedure.input(updateClusterInput).mutation(({ ctx, input }) => editCluster(ctx.actor, ctx.env, input)),
  remove: adminProcedure.input(z.object({ id: clusterId })).mutation(({ ctx, input }) => removeCluster(ctx.actor, input.id)),
  test: adminProcedure.input(testClusterInput).mutation(({ ctx, input }) => testCluster(ctx.actor, ctx.env, input)),
});
