// The topology graph and the catalog writes that fix its drift: thin procedures over the topology service.
import { mayActEverywhere, mayActOn } from "~/server/services/auth/authorize";
import { visibleTopology } from "~/server/services/topology/visible";
import { z } from "zod";
import { declareProducer, declareSubscription, getTopology } from "~/server/services/topology/topology";
import { architectProcedure, createTRPCRouter, viewerProcedure } from "../trpc";

const name = z.string().trim().min(1).max(249);
const service = z.object({ name: z.string().trim().min(1, "Name the service.").max(200), team: z.string().trim().max(200).optional() });

export const topologyRouter = createTRPCRouter({
  graph: viewerProcedure.query(async ({ ctx }) => {
    const topology = await getTopology(ctx.env, ctx.cluster.name);
    if (mayActEverywhere(ctx.actor, "viewer")) return topology;
    return visibleTopology(topology, (n) => mayActOn(ctx.actor, "viewer", n.type === "topic" ? { cluster: ctx.cluster.name, topics: [n.label] } : { cluster: ctx.cluster.name, group: n.label }));
  }),
  declareSubscription: architectProcedure
    .input(z.object({ service, consumerGroupId: name, topics: z.array(name).min(1).max(100), eventTypes: z.array(name).min(1).max(100) }))
    .mutation(({ ctx, input }) => declareSubscription(ctx.actor, ctx.cluster.name, input)),
  declareProducer: architectProcedure
    .input(z.object({ service, eventTypes: z.array(name).min(1).max(100), topic: name }))
    .mutation(({ ctx, input }) => declareProducer(ctx.actor, ctx.cluster.name, input)),
});
