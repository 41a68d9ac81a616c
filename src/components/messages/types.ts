// Shapes the message, replay and job procedures return, as the browser sees them (after superjson).
import type { RouterInputs as Inputs, RouterOutputs as Outputs } from "~/trpc/types";

export type ScanInput = Inputs["messages"]["scan"];
export type MessageFilterInput = NonNullable<ScanInput["filter"]>;
export type StartPoint = NonNullable<ScanInput["start"]>;
export type ScanEvent = Outputs["messages"]["scan"] extends AsyncIterable<infer E> ? E : never;
export type BrowsedMessage = Extract<ScanEvent, { type: "messages" }>["messages"][number];
export type ScanDone = Extract<ScanEvent, { type: "done" }>;
export type ScanProgress = Extract<ScanEvent, { type: "progress" }>;
export type PartitionBounds = Outputs["messages"]["partitions"][number];
export type TraceEvent = Outputs["messages"]["trace"] extends AsyncIterable<infer E> ? E : never;
export type TraceResult = Extract<TraceEvent, { type: "done" }>["result"];
export type TraceNode = TraceResult["tree"][number];
export type ReplayRequestInput = Inputs["replay"]["dryRun"];
export type PlanEvent = Outputs["replay"]["dryRun"] extends AsyncIterable<infer E> ? E : never;
export type ReplayPlan = Extract<PlanEvent, { type: "done" }>["plan"];
export type JobView = Outputs["jobs"]["get"];
export type ResetPreview = Outputs["groupOffsets"]["preview"];
export type ResetInput = Inputs["groupOffsets"]["preview"];
