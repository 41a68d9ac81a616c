import type { RouterInputs as Inputs, RouterOutputs as Outputs } from "~/trpc/types";

/** What an action covers: chosen positions, or everything a filter matches. */
export type Selection = Inputs["dlq"]["redrive"]["selection"];
export type TopicSummary = Outputs["dlq"]["overview"][number];
export type Group = Outputs["dlq"]["groups"]["groups"][number];
export type Entry = Group["sample"][number];
export type Detail = Outputs["dlq"]["message"];
export type IndexStatus = Outputs["dlq"]["indexStatus"];

export interface Position {
  topic: string;
  partition: number;
  offset: number;
}

export type StatusFilter = "PENDING" | "QUEUED" | "REDRIVEN" | "DISCARDED" | "ALL";

/** The list's filter as the user set it (text inputs; times as datetime-local strings). */
export interface FilterDraft {
  key?: string;
  eventType?: string;
  text?: string;
  reason?: string;
  from?: string;
  to?: string;
  status: StatusFilter;
}

export const positionKey = (p: { partition: number; offset: number }) => `${p.partition}/${p.offset}`;
