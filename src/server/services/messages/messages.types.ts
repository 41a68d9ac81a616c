// What the message procedures take: every request schema of the area in one place, parsed once
// at the router (routers/messages.ts). The filter's own schema lives with the filter (filters.ts).
import { z } from "zod";
import { epochMs, messageFilterSchema } from "./filters";

const topic = z.string().min(1).max(249);
const partitions = z.array(z.number().int().nonnegative()).max(10_000).optional();
const position = z.object({ partition: z.number().int().nonnegative(), offset: z.number().int().nonnegative() });

export const startPointSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("earliest") }),
  z.object({ kind: z.literal("latest") }),
  z.object({ kind: z.literal("offset"), offset: z.number().int().nonnegative() }),
  z.object({ kind: z.literal("timestamp"), timestamp: epochMs }),
]);

export const scanInput = z.object({
  topic,
  partitions,
  start: startPointSchema.optional(),
  cursor: z.object({ direction: z.enum(["forward", "backward"]), positions: z.array(position).max(10_000) }).optional(),
  limit: z.number().int().min(1).max(500).default(50),
  filter: messageFilterSchema.optional(),
});

export const topicInput = z.object({ topic });
export const tailInput = z.object({ topic, partitions, filter: messageFilterSchema.optional() });
export const messageInput = z.object({ topic, ...position.shape });
/** The service enforces TRACE_MAX_TOPICS with a message naming it; this only bounds the request. */
export const traceInput = z.object({ id: z.string().trim().min(1, "Enter a correlation id or an event id.").max(500), from: epochMs, to: epochMs, topics: z.array(topic).max(1000).optional() });
