// Shapes the lag and alert procedures return, as the browser sees them (after superjson).
import type { RouterInputs as Inputs, RouterOutputs as Outputs } from "~/trpc/types";

export type { TimeRange } from "~/components/charts/range-picker";
export type TopicsPage = Outputs["lag"]["topicsPage"];
export type TopicListItem = TopicsPage["rows"][number];
export type TopicDetail = Outputs["lag"]["topic"];
export type GroupsPage = Outputs["lag"]["groupsPage"];
export type GroupListItem = GroupsPage["rows"][number];
export type GroupDetail = Outputs["lag"]["group"];
export type GroupPartition = GroupDetail["partitions"][number];
export type SamplerStatus = Outputs["lag"]["sampler"];
export type StatusRules = Outputs["lag"]["statusRules"];
export type AlertItem = Outputs["alerts"]["list"][number];
export type AlertRule = Outputs["alerts"]["rules"][number];
export type AlertRuleInput = Inputs["alerts"]["createRule"];
