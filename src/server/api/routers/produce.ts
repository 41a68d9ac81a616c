// Producing one record from the console: a check (no write) and the audited write.
import { assertMayActOn } from "~/server/services/auth/authorize";
import { checkProduce, produceMessage } from "~/server/services/produce/produce";
import { produceRequestSchema } from "~/server/services/produce/produce.types";
import { createTRPCRouter, supportProcedure } from "../trpc";

export const produceRouter = createTRPCRouter({
  // A mutation although it writes nothing: the request carries up to 1 MiB, too much for a GET URL.
  check: supportProcedure.input(produceRequestSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, topics: [input.topic] });
    return checkProduce(ctx.cluster, input);
  }),
  send: supportProcedure.input(produceRequestSchema).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "support", { cluster: ctx.cluster.name, topics: [input.topic] });
    return produceMessage(ctx.actor, ctx.cluster, input);
  }),
});
