// Messages: browse any topic page by page or live, fetch one record in full, and trace a correlation.
import { assertMayActOn, mayActEverywhere, visibleTo, readerOf } from "~/server/services/auth/authorize";
import { z } from "zod";
import { listTopicNames, selectedBounds } from "~/server/broker";
import { maskerFor } from "~/server/services/masking/masking";
import { epochMs, messageFilterSchema } from "~/server/services/messages/filters";
import { getMessage, scanPage, tailMessages } from "~/server/services/messages/scan";
import { traceCorrelation } from "~/server/services/messages/trace";
import { expensive, limitedScan } from "../limits";
import { createTRPCRouter, viewerProcedure } from "../trpc";

const topic = z.string().min(1).max(249);
const partitions = z.array(z.number().int().nonnegative()).max(10_000).optional();
const position = z.object({ partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() });

export const startPointSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("earliest") }),
  z.object({ kind: z.literal("latest") }),
  z.object({ kind: z.literal("offset"), offset: z.number().int().nonnegative() }),
  z.object({ kind: z.literal("timestamp"), timestamp: epochMs }),
]);

const scanInput = z.object({
  topic,
  partitions,
  start: startPointSchema.optional(),
  cursor: z.object({ direction: z.enum(["forward", "backward"]), positions: z.array(position).max(10_000) }).optional(),
  limit: z.number().int().min(1).max(500).default(50),
  filter: messageFilterSchema.optional(),
});

export const messagesRouter = createTRPCRouter({
  topics: viewerProcedure.query(async ({ ctx }) => visibleTo(ctx.actor, await listTopicNames(ctx.cluster), (t) => ({ cluster: ctx.cluster.name, topics: [t] })).sort((a, b) => Number(a.startsWith("__")) - Number(b.startsWith("__")) || a.localeCompare(b))),
  partitions: viewerProcedure.input(z.object({ topic })).query(({ ctx, input }) => {
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
  tail: viewerProcedure.input(z.object({ topic, partitions, filter: messageFilterSchema.optional() })).subscription(async function* ({ ctx, input, signal }) {
    assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
    yield* limitedScan(ctx, tailMessages(ctx.cluster, input, signal, maskerFor(readerOf(ctx.actor, ctx.cluster.name))));
  }),

  message: viewerProcedure
    .input(z.object({ topic, partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() }))
    .query(({ ctx, input }) => {
      assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics: [input.topic] });
      return getMessage(ctx.cluster, input.topic, input.partition, input.offset, maskerFor(readerOf(ctx.actor, ctx.cluster.name)));
    }),

  trace: viewerProcedure
    .use(expensive("messages.trace"))
    // The service enforces TRACE_MAX_TOPICS with a message naming it; this only bounds the request.
    .input(z.object({ id: z.string().trim().min(1, "Enter a correlation id or an event id.").max(500), from: epochMs, to: epochMs, topics: z.array(topic).max(1000).optional() }))
    .subscription(async function* ({ ctx, input, signal }) {
      // A caller who may read only some topics traces only those.
      const topics = input.topics ?? (mayActEverywhere(ctx.actor, "viewer") ? undefined : visibleTo(ctx.actor, await listTopicNames(ctx.cluster), (t) => ({ cluster: ctx.cluster.name, topics: [t] })));
      if (topics) assertMayActOn(ctx.actor, "viewer", { cluster: ctx.cluster.name, topics });
      yield* limitedScan(ctx, traceCorrelation(ctx.cluster, { ...input, topics }, signal, undefined, maskerFor(readerOf(ctx.actor, ctx.cluster.name))));
    }),
});
