// What the alert procedures take: the request schemas of the area in one place, parsed once at the
// router (routers/alerts.ts).
import { z } from "zod";

export const ruleInput = z.object({
  name: z.string().trim().min(1, "Give the rule a name.").max(120),
  kind: z.enum(["LAG_MESSAGES", "LAG_SECONDS", "GROUP_STATUS_ERR", "CONNECTOR_FAILED", "OUTBOX_STALLED", "FLOW_STUCK", "FLOW_SLO_BURN", "FLOW_DUPLICATES"]),
  groupPattern: z.string().trim().min(1).max(249).default("*"),
  threshold: z.number().nonnegative().nullable().default(null),
  forMinutes: z.number().int().min(0).max(1440).default(0),
  webhookUrl: z.string().trim().max(2000).nullable().default(null),
  enabled: z.boolean().default(true),
});

export const ruleIdInput = z.object({ id: z.string().min(1).max(100) });
export const setRuleEnabledInput = ruleIdInput.extend({ enabled: z.boolean() });
