// Flows (sagas): viewers see the declared flows and what the flow monitor counted; architects
// declare, change and delete them (audited), confirming the flows Signalbox proposes.
import { z } from "zod";
import { assertMayActOn } from "~/server/services/auth/authorize";
import { flowName } from "~/server/services/flows/definition";
import { changeFlow, declareFlow, flowInput, flowProposals, flowRange, getFlowDetail, listFlowSummaries, removeFlow } from "~/server/services/flows/flows";
import { architectProcedure, createTRPCRouter, viewerProcedure } from "../trpc";

export const flowsRouter = createTRPCRouter({
  list: viewerProcedure.input(z.object({ range: flowRange })).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name });
    return listFlowSummaries(ctx.cluster.name, input.range);
  }),
  get: viewerProcedure.input(z.object({ name: flowName, range: flowRange })).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name });
    return getFlowDetail(ctx.cluster.name, input.name, input.range);
  }),
  proposals: viewerProcedure.query(({ ctx }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name });
    return flowProposals(ctx.cluster.name);
  }),
  declare: architectProcedure.input(flowInput).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { cluster: ctx.cluster.name });
    return declareFlow(ctx.actor, ctx.cluster.name, input);
  }),
  change: architectProcedure.input(flowInput).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { cluster: ctx.cluster.name });
    return changeFlow(ctx.actor, ctx.cluster.name, input);
  }),
  remove: architectProcedure.input(z.object({ name: flowName })).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { cluster: ctx.cluster.name });
    return removeFlow(ctx.actor, ctx.cluster.name, input.name);
  }),
});
