// Alert rules over the sampler's snapshots. Pure: given the rules, the snapshot, the alerts that
// are firing and how long each condition has held, it says what to fire and what to resolve.
// The worker calls it after every sampler cycle and does the I/O (store, webhook, notify).
import { compileUserGlob, UserPatternError } from "~/lib/user-regex";
import type { GroupSnapshot, LagSnapshot } from "~/server/services/lag/types";

export type AlertKind = "LAG_MESSAGES" | "LAG_SECONDS" | "GROUP_STATUS_ERR";

export interface AlertRuleSpec {
  id: string;
  name: string;
  kind: AlertKind;
  groupPattern: string;
  threshold: number | null;
  forMinutes: number;
  enabled: boolean;
}

export interface FiringAlert {
  id: string;
  ruleId: string;
  groupId: string;
}

export interface AlertFire {
  ruleId: string;
  groupId: string;
  value: number | null;
  message: string;
}

export interface AlertDecision {
  fire: AlertFire[];
  resolve: { alert: FiringAlert; message: string }[];
}

/** Since when each (rule, group) condition has held, epoch ms; the caller keeps it between calls. */
export type ConditionClock = Map<string, number>;

const clockKey = (ruleId: string, groupId: string) => `${ruleId}\u0000${groupId}`;

/** The value a rule looks at and whether it breaches; null value when the group has no such number yet. */
export function measure(rule: AlertRuleSpec, group: GroupSnapshot): { breached: boolean; value: number | null; text: string } {
  switch (rule.kind) {
    case "LAG_MESSAGES":
      return { breached: group.totalLag > (rule.threshold ?? 0), value: group.totalLag, text: `lag ${group.totalLag} messages > ${rule.threshold}` };
    case "LAG_SECONDS": {
      const seconds = group.maxLagSeconds;
      return { breached: seconds !== null && seconds > (rule.threshold ?? 0), value: seconds, text: `lag ${seconds === null ? "unknown" : seconds.toFixed(1)} s > ${rule.threshold} s` };
    }
    case "GROUP_STATUS_ERR":
      return { breached: group.status === "ERR", value: null, text: `status ${group.status}` };
  }
}

export function validateRule(rule: Pick<AlertRuleSpec, "kind" | "threshold" | "groupPattern" | "forMinutes">): string | null {
  if (rule.kind !== "GROUP_STATUS_ERR" && (rule.threshold === null || !Number.isFinite(rule.threshold) || rule.threshold < 0)) {
    return `A ${rule.kind === "LAG_MESSAGES" ? "lag-in-messages" : "lag-in-seconds"} rule needs a threshold of 0 or more.`;
  }
  if (!rule.groupPattern.trim()) return "The group pattern is empty; use * for every group.";
  try {
    compileUserGlob(rule.groupPattern);
  } catch (error) {
    if (error instanceof UserPatternError) return error.message;
    throw error;
  }
  if (!Number.isInteger(rule.forMinutes) || rule.forMinutes < 0 || rule.forMinutes > 1440) return "Duration must be whole minutes between 0 and 1440.";
  return null;
}

export function evaluateAlerts(rules: AlertRuleSpec[], snapshot: LagSnapshot, firing: FiringAlert[], clock: ConditionClock, now: number): AlertDecision {
  const decision: AlertDecision = { fire: [], resolve: [] };
  const firingByKey = new Map(firing.map((a) => [clockKey(a.ruleId, a.groupId), a]));
  const groups = new Map(snapshot.groups.map((g) => [g.groupId, g]));
  const live = new Set<string>();

  for (const rule of rules) {
    if (!rule.enabled) continue;
    let matches: (groupId: string) => boolean;
    try {
      matches = compileUserGlob(rule.groupPattern);
    } catch (error) {
      // A rule saved before globs were bounded must not stop the other rules from being evaluated.
      if (error instanceof UserPatternError) continue;
      throw error;
    }
    for (const group of snapshot.groups) {
      if (!matches(group.groupId)) continue;
      const k = clockKey(rule.id, group.groupId);
      const { breached, value, text } = measure(rule, group);
      if (!breached) continue;
      live.add(k);
      const since = clock.get(k) ?? now;
      clock.set(k, since);
      const heldMinutes = (now - since) / 60_000;
      if (!firingByKey.has(k) && heldMinutes >= rule.forMinutes) {
        const duration = rule.forMinutes > 0 ? ` for ${rule.forMinutes} min` : "";
        decision.fire.push({ ruleId: rule.id, groupId: group.groupId, value, message: `${rule.name}: ${group.groupId} ${text}${duration}` });
      }
    }
  }

  // Resolve what no longer holds: the condition cleared, the group vanished, or the rule was disabled or deleted.
  const enabledRules = new Map(rules.filter((r) => r.enabled).map((r) => [r.id, r]));
  for (const alert of firing) {
    const k = clockKey(alert.ruleId, alert.groupId);
    if (live.has(k)) continue;
    const rule = enabledRules.get(alert.ruleId);
    const reason = !rule ? "rule disabled or deleted" : !groups.has(alert.groupId) ? "group no longer exists" : "condition cleared";
    decision.resolve.push({ alert, message: reason });
  }
  for (const k of clock.keys()) if (!live.has(k)) clock.delete(k);
  return decision;
}
