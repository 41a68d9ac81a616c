// The zod request schemas of the brokers area.
import { z } from "zod";
import { configNameSchema } from "~/lib/new-topic";

const nodeIdSchema = z.number({ error: "A broker id is a whole number." }).int("A broker id is a whole number.").min(0, "A broker id is 0 or more.");

export const brokerRequestSchema = z.object({ nodeId: nodeIdSchema });

export const alterBrokerConfigSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("set"), nodeId: nodeIdSchema, name: configNameSchema, value: z.string().max(10_000) }),
  z.object({ kind: z.literal("remove"), nodeId: nodeIdSchema, name: configNameSchema }),
]);
export type AlterBrokerConfigRequest = z.output<typeof alterBrokerConfigSchema>;
