// Brokers: the list with partition health and log dirs, one broker's configuration, and changes to
// its dynamic configuration (admins only).
import { assertMayActOn } from "~/server/services/auth/authorize";
import { alterBrokerSetting, brokerDetail, brokerList } from "~/server/services/brokers/brokers";
import { alterBrokerConfigSchema, brokerRequestSchema } from "~/server/services/brokers/brokers.types";
import { adminProcedure, createTRPCRouter, viewerProcedure } from "../trpc";

export const brokersRouter = createTRPCRouter({
  list: viewerProcedure.query(({ ctx }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name });
    return brokerList(ctx.cluster);
  }),
  get: viewerProcedure.input(brokerRequestSchema).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name });
    return brokerDetail(ctx.cluster, input.nodeId);
  }),
  alterConfig: adminProcedure.input(alterBrokerConfigSchema).mutation(({ ctx, input }) => alterBrokerSetting(ctx.actor, ctx.cluster, input)),
});
