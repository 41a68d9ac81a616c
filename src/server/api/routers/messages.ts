// Messages: browse any topic page by page or live, fetch one record in full, and trace a correlation.
import { assertMayActOn, mayActEverywhere, visibleTo, readerOf } from "~/server/services/auth/authorize";
import { listTopicNames, selectedBounds } from "~/server/broker";
import { maskerFor } from "~/server/services/masking/masking";
import { messageInput, scanInput, tailInput, topicInput, traceInput } from "~/server/services/messages/messages.types";
import { getMessage, scanPage, tailMessages } from "~/server/services/messages/scan";
import { traceCorrelation } from "~/server/services/messages/trace";
import { expensive, limitedScan } from "../limits";
import { createTRPCRouter, viewerProcedure } from "../trpc";

export const messagesRouter = createTRPCRouter({
  topics: viewerProcedure.query(async ({ ctx }) => visibleTo(ctx.actor, await listTopicNames(ctx.cluster), (t) => ({ cluster: ctx.cluster.name, topics: [t] })).sort((a, b) => Number(a.startsWith("__")) - Number(b.startsWith("__")) || a.localeCompare(b))),
  partitions: viewerProcedure.input(topicInput).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
    return selectedBounds(ctx.cluster, input.topic);
  }),

  /** One page, streamed: progress (scanned, matched, position), matches, then where the next and previous pages start. */
  scan: viewerProcedure
    .use(expensive("messages.scan"))
    .input(scanInput)
    .subscription(async function* ({ ctx, input, signal }) {
      assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
      yield* limitedScan(ctx, scanPage(ctx.cluster, input, signal, undefined, maskerFor(readerOf(ctx.actor, ctx.cluster.name))));
    }),

  /** New matching records as they arrive. */
  tail: viewerProcedure.input(tailInput).subscription(async function* ({ ctx, input, signal }) {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
    yield* limitedScan(ctx, tailMessages(ctx.cluster, input, signal, maskerFor(readerOf(ctx.actor, ctx.cluster.name))));
  }),

  message: viewerProcedure
    .input(messageInput)
    .query(({ ctx, input }) => {
      assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
      return getMessage(ctx.cluster, input.topic, input.partition, input.offset, maskerFor(readerOf(ctx.actor, ctx.cluster.name)));
    }),

  trace: viewerProcedure
    .use(expensive("messages.trace"))
    .input(traceInput)
    .subscription(async function* ({ ctx, input, signal }) {
      // A caller who may read only some topics traces only those.
      const topics = input.topics ?? (mayActEverywhere(ctx.actor, "viewer") ? undefined : visibleTo(ctx.actor, await listTopicNames(ctx.cluster), (t) => ({ cluster: ctx.cluster.name, topics: [t] })));
      if (topics) assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics });
      yield* limitedScan(ctx, traceCorrelation(ctx.cluster, { ...input, topics }, signal, undefined, maskerFor(readerOf(ctx.actor, ctx.cluster.name))));
    }),
});
