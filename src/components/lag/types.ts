// Shapes the lag and alert procedures return, as the browser sees them (after superjson).
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "~/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type TimeRange = Inputs["lag"]["topicHistory"]["range"];
export type TopicList = Outputs["lag"]["topics"];
export type TopicListItem = TopicList["topics"][number];
export type TopicDetail = Outputs["lag"]["topic"];
export type GroupList = Outputs["lag"]["groups"];
export type GroupListItem = GroupList["groups"][number];
export type GroupDetail = Outputs["lag"]["group"];
export type GroupPartition = GroupDetail["partitions"][number];
export type SamplerStatus = Outputs["lag"]["sampler"];
export type StatusRules = Outputs["lag"]["statusRules"];
export type AlertItem = Outputs["alerts"]["list"][number];
export type AlertRule = Outputs["alerts"]["rules"][number];
export type AlertRuleInput = Inputs["alerts"]["createRule"];
