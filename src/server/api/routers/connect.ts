// Kafka Connect: viewers read connectors and their tasks; operators pause, resume and restart them;
// admins create and delete them (a connector's configuration can make a Connect worker read or
// write files and reach other systems, so adding one is an admin's decision).
import { assertMayActOn } from "~/server/services/auth/authorize";
import {
  createConnectorFromJson,
  deleteConnectorAudited,
  getConnector,
  listConnectClusters,
  pauseConnectorAudited,
  restartConnectorAudited,
  resumeConnectorAudited,
} from "~/server/services/connect/connect";
import { connectorRef, createConnectorInput, restartInput } from "~/server/services/connect/connect.types";
import { adminProcedure, createTRPCRouter, operatorProcedure, viewerProcedure } from "../trpc";

export const connectRouter = createTRPCRouter({
  list: viewerProcedure.query(({ ctx }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name });
    return listConnectClusters(ctx.env, ctx.cluster.name);
  }),
  connector: viewerProcedure.input(connectorRef).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name });
    return getConnector(ctx.env, ctx.cluster.name, input);
  }),
  create: adminProcedure.input(createConnectorInput).mutation(({ ctx, input }) => createConnectorFromJson(ctx.actor, ctx.env, ctx.cluster.name, input)),
  pause: operatorProcedure.input(connectorRef).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name });
    return pauseConnectorAudited(ctx.actor, ctx.env, ctx.cluster.name, input);
  }),
  resume: operatorProcedure.input(connectorRef).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name });
    return resumeConnectorAudited(ctx.actor, ctx.env, ctx.cluster.name, input);
  }),
  restart: operatorProcedure.input(restartInput).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "operator", { cluster: ctx.cluster.name });
    return restartConnectorAudited(ctx.actor, ctx.env, ctx.cluster.name, input);
  }),
  delete: adminProcedure.input(connectorRef).mutation(({ ctx, input }) => deleteConnectorAudited(ctx.actor, ctx.env, ctx.cluster.name, input)),
});
