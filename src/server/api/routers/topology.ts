// The topology graph and the catalog writes that fix its drift: thin procedures over the topology service.
import { z } from "zod";
import { declareProducer, declareSubscription, getTopology } from "~/server/services/topology/topology";
import { architectProcedure, createTRPCRouter, viewerProcedure } from "../trpc";

const name = z.string().trim().min(1).max(249);
const service = z.object({ name: z.string().trim().min(1, "Name the service.").max(200), team: z.string().trim().max(200).optional() });

export const topologyRouter = createTRPCRouter({
  graph: viewerProcedure.query(({ ctx }) => getTopology(ctx.env, ctx.cluster.name)),
  declareSubscription: architectProcedure
    .input(z.object({ service, consumerGroupId: name, topics: z.array(name).min(1).max(100), eventTypes: z.array(name).min(1).max(100) }))
    .mutation(({ ctx, input }) => declareSubscription(ctx.actor, ctx.cluster.name, input)),
  declareProducer: architectProcedure
    .input(z.object({ service, eventTypes: z.array(name).min(1).max(100), topic: name }))
    .mutation(({ ctx, input }) => declareProducer(ctx.actor, ctx.cluster.name, input)),
});
