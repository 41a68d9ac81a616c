// Request schemas of the consumer groups and topics list pages (lag.groupsPage, lag.topicsPage):
// a filter, a sort and a window of rows over the latest sample, every part bounded.
import { z } from "zod";
import { GROUP_STATUSES } from "./types";

export const GROUP_SORT_KEYS = ["group", "status", "state", "members", "topics", "totalLag", "maxLag", "maxLagSeconds", "rate"] as const;
export type GroupSortKey = (typeof GROUP_SORT_KEYS)[number];
export const TOPIC_SORT_KEYS = ["topic", "partitions", "messages", "rate"] as const;
export type TopicSortKey = (typeof TOPIC_SORT_KEYS)[number];

/** Longer than any topic or group name (249), so a pasted name always fits. */
export const LIST_FILTER_MAX_LENGTH = 256;
/** Rows in one answer: a few screens. The browser asks for the windows it scrolls to. */
export const LIST_PAGE_MAX_ROWS = 500;
/** Further than any cluster's list reaches; bounds the number a caller can send. */
export const LIST_MAX_OFFSET = 10_000_000;

const window = {
  filter: z.string().max(LIST_FILTER_MAX_LENGTH).default(""),
  dir: z.enum(["asc", "desc"]),
  offset: z.number().int().min(0).max(LIST_MAX_OFFSET).default(0),
  limit: z.number().int().min(1).max(LIST_PAGE_MAX_ROWS).default(100),
};

export const groupsPageInput = z.object({
  ...window,
  status: z.enum(GROUP_STATUSES).nullable().default(null),
  sort: z.enum(GROUP_SORT_KEYS).default("status"),
  dir: window.dir.default("desc"),
});
export type GroupsPageInput = z.output<typeof groupsPageInput>;

export const topicsPageInput = z.object({
  ...window,
  sort: z.enum(TOPIC_SORT_KEYS).default("topic"),
  dir: window.dir.default("asc"),
});
export type TopicsPageInput = z.output<typeof topicsPageInput>;
