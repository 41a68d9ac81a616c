// Alert rules over the sampler's snapshots. Pure: given the rules, the snapshot, the alerts that
// are firing and how long each condition has held, it says what to fire and what to resolve.
// The worker calls it after every sampler cycle and does the I/O (store, webhook, notify).
// Lag rules watch consumer groups; CONNECTOR_FAILED rules watch Kafka Connect connectors, named
// `<connect>/<connector>` in the alert's group field; OUTBOX_STALLED rules watch transactional
// outbox tables, by their monitor's name; FLOW_* rules watch declared flows (sagas), by the flow's
// name. Each family is judged on its own snapshot.
import { compileUserGlob, UserPatternError } from "~/lib/user-regex";
import type { GroupSnapshot, LagSnapshot } from "~/server/services/lag/types";
import type { OutboxHealth } from "~/server/services/outbox/outbox.types";

export type AlertKind = "LAG_MESSAGES" | "LAG_SECONDS" | "GROUP_STATUS_ERR" | "CONNECTOR_FAILED" | "OUTBOX_STALLED" | "FLOW_STUCK" | "FLOW_SLO_BURN" | "FLOW_DUPLICATES";

/** Kinds that need no threshold: the condition is a state. */
const STATE_KINDS: readonly AlertKind[] = ["GROUP_STATUS_ERR", "CONNECTOR_FAILED", "OUTBOX_STALLED"];

/** Which snapshot a rule is judged on. */
type Family = "lag" | "connector" | "outbox" | "flow";
const familyOf = (kind: AlertKind): Family => (kind === "CONNECTOR_FAILED" ? "connector" : kind === "OUTBOX_STALLED" ? "outbox" : kind.startsWith("FLOW_") ? "flow" : "lag");

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
    case "CONNECTOR_FAILED":
    case "OUTBOX_STALLED":
    case "FLOW_STUCK":
    case "FLOW_SLO_BURN":
    case "FLOW_DUPLICATES":
      // Judged on their own snapshots (evaluateConnectorAlerts, evaluateOutboxAlerts, evaluateFlowAlerts), never on a group.
      return { breached: false, value: null, text: "" };
  }
}

export function validateRule(rule: Pick<AlertRuleSpec, "kind" | "threshold" | "groupPattern" | "forMinutes">): string | null {
  if (!STATE_KINDS.includes(rule.kind) && (rule.threshold === null || !Number.isFinite(rule.threshold) || rule.threshold < 0)) {
    const what = { LAG_MESSAGES: "lag-in-messages", LAG_SECONDS: "lag-in-seconds", FLOW_STUCK: "stuck-instances", FLOW_SLO_BURN: "SLO-burn", FLOW_DUPLICATES: "duplicates" }[rule.kind as string] ?? rule.kind;
    return `A ${what} rule needs a threshold of 0 or more.`;
  }
  if (rule.kind === "FLOW_SLO_BURN" && (rule.threshold ?? 0) > 100) {
    return "An SLO-burn rule's threshold is a percentage of instances, 0 to 100.";
  }
  if (!rule.groupPattern.trim()) {
    const what = { lag: "group", connector: "connector", outbox: "outbox", flow: "flow" }[familyOf(rule.kind)];
    return `The ${what} pattern is empty; use * for every ${what}.`;
  }
  try {
    compileUserGlob(rule.groupPattern);
  } catch (error) {
    if (error instanceof UserPatternError) return error.message;
    throw error;
  }
  if (!Number.isInteger(rule.forMinutes) || rule.forMinutes < 0 || rule.forMinutes > 1440) return "Duration must be whole minutes between 0 and 1440.";
  return null;
}

/** One thing a rule can watch (a consumer group, a connector) and how it measures against a rule. */
interface Subject {
  id: string;
  measure: (rule: AlertRuleSpec) => { breached: boolean; value: number | null; text: string };
}

/**
 * The decision for `rules` over `subjects`: fire what has breached long enough, resolve what no
 * longer holds. `firing` holds only these rules' alerts; `keep` leaves an alert as it is when its
 * subject could not be judged this time (its Connect cluster did not answer).
 */
function decide(rules: AlertRuleSpec[], subjects: Subject[], firing: FiringAlert[], clock: ConditionClock, now: number, words: { vanished: string }, keep: (alert: FiringAlert) => boolean = () => false): AlertDecision {
  const decision: AlertDecision = { fire: [], resolve: [] };
  const firingByKey = new Map(firing.map((a) => [clockKey(a.ruleId, a.groupId), a]));
  const present = new Set(subjects.map((s) => s.id));
  const live = new Set<string>();

  for (const rule of rules) {
    if (!rule.enabled) continue;
    let matches: (id: string) => boolean;
    try {
      matches = compileUserGlob(rule.groupPattern);
    } catch (error) {
      // A rule saved before globs were bounded must not stop the other rules from being evaluated.
      if (error instanceof UserPatternError) continue;
      throw error;
    }
    for (const subject of subjects) {
      if (!matches(subject.id)) continue;
      const k = clockKey(rule.id, subject.id);
      const { breached, value, text } = subject.measure(rule);
      if (!breached) continue;
      live.add(k);
      const since = clock.get(k) ?? now;
      clock.set(k, since);
      const heldMinutes = (now - since) / 60_000;
      if (!firingByKey.has(k) && heldMinutes >= rule.forMinutes) {
        const duration = rule.forMinutes > 0 ? ` for ${rule.forMinutes} min` : "";
        decision.fire.push({ ruleId: rule.id, groupId: subject.id, value, message: `${rule.name}: ${subject.id} ${text}${duration}` });
      }
    }
  }

  // Resolve what no longer holds: the condition cleared, the subject vanished, or the rule was disabled or deleted.
  const enabledRules = new Map(rules.filter((r) => r.enabled).map((r) => [r.id, r]));
  for (const alert of firing) {
    const k = clockKey(alert.ruleId, alert.groupId);
    if (live.has(k)) continue;
    const rule = enabledRules.get(alert.ruleId);
    if (rule && keep(alert)) {
      // Not judged this time: its condition's clock keeps running too.
      live.add(k);
      continue;
    }
    const reason = !rule ? "rule disabled or deleted" : !present.has(alert.groupId) ? words.vanished : "condition cleared";
    decision.resolve.push({ alert, message: reason });
  }
  for (const k of clock.keys()) if (!live.has(k)) clock.delete(k);
  return decision;
}

/** Rules of one family, and only the firing alerts that are theirs. */
function family(rules: AlertRuleSpec[], firing: FiringAlert[], which: Family): { rules: AlertRuleSpec[]; firing: FiringAlert[] } {
  const other = new Set(rules.filter((r) => familyOf(r.kind) !== which).map((r) => r.id));
  return { rules: rules.filter((r) => familyOf(r.kind) === which), firing: firing.filter((a) => !other.has(a.ruleId)) };
}

export function evaluateAlerts(rules: AlertRuleSpec[], snapshot: LagSnapshot, firing: FiringAlert[], clock: ConditionClock, now: number): AlertDecision {
  const lag = family(rules, firing, "lag");
  const subjects = snapshot.groups.map((group) => ({ id: group.groupId, measure: (rule: AlertRuleSpec) => measure(rule, group) }));
  return decide(lag.rules, subjects, lag.firing, clock, now, { vanished: "group no longer exists" });
}

/** A connector as the worker last read it from its Connect cluster. */
export interface ConnectorHealth {
  connect: string;
  name: string;
  state: string;
  failedTasks: number[];
}

/** The alert subject of a connector: `<connect>/<connector>`. */
export const connectorSubject = (connect: string, connector: string) => `${connect}/${connector}`;

/**
 * CONNECTOR_FAILED rules over what the Connect clusters answered. `unreachable` names the Connect
 * clusters that did not answer: their connectors' alerts stay as they are rather than resolve.
 * Keep a clock apart from evaluateAlerts' (each forgets the conditions it did not see).
 */
export function evaluateConnectorAlerts(rules: AlertRuleSpec[], connectors: ConnectorHealth[], unreachable: ReadonlySet<string>, firing: FiringAlert[], clock: ConditionClock, now: number): AlertDecision {
  const own = family(rules, firing, "connector");
  const subjects = connectors.map((c) => {
    const failed = c.state === "FAILED" || c.failedTasks.length > 0;
    const what = [c.state === "FAILED" ? "connector FAILED" : null, c.failedTasks.length ? `task${c.failedTasks.length > 1 ? "s" : ""} ${c.failedTasks.join(", ")} FAILED` : null].filter(Boolean).join(", ");
    return { id: connectorSubject(c.connect, c.name), measure: () => ({ breached: failed, value: c.failedTasks.length, text: what }) };
  });
  const connectOf = (alert: FiringAlert) => alert.groupId.slice(0, Math.max(alert.groupId.indexOf("/"), 0));
  return decide(own.rules, subjects, own.firing, clock, now, { vanished: "connector no longer exists" }, (alert) => unreachable.has(connectOf(alert)));
}

/**
 * OUTBOX_STALLED rules over the outbox tables read this round. `unreachable` names the outboxes
 * that could not be read: their alerts stay as they are rather than resolve. Its own clock.
 */
export function evaluateOutboxAlerts(rules: AlertRuleSpec[], outboxes: OutboxHealth[], unreachable: ReadonlySet<string>, firing: FiringAlert[], clock: ConditionClock, now: number): AlertDecision {
  const own = family(rules, firing, "outbox");
  const subjects = outboxes.map((o) => ({
    id: o.name,
    measure: () => ({
      breached: o.status === "STALLED",
      value: o.oldestAgeMs === null ? null : Math.round(o.oldestAgeMs / 1000),
      text: `${o.unpublished} row${o.unpublished === 1 ? "" : "s"} unpublished, the oldest ${o.oldestAgeMs === null ? "–" : Math.round(o.oldestAgeMs / 1000)} s old (stalled after ${o.stallAfterSeconds} s)`,
    }),
  }));
  return decide(own.rules, subjects, own.firing, clock, now, { vanished: "outbox no longer watched" }, (alert) => unreachable.has(alert.groupId));
}

/** A declared flow as the flow monitor last counted it: what FLOW_* rules judge. */
export interface FlowHealth {
  name: string;
  /** Open instances past a step's SLO, or failed (dead-lettered). */
  stuck: number;
  /** Instances that finished in the window, and how many of them took longer than the end-to-end SLO. */
  finished: number;
  overSlo: number;
  /** Duplicate deliveries and causes answered more than once in the window. */
  duplicates: number;
  windowMinutes: number;
}

/** FLOW_* rules over the declared flows. Its own clock. */
export function evaluateFlowAlerts(rules: AlertRuleSpec[], flows: FlowHealth[], firing: FiringAlert[], clock: ConditionClock, now: number): AlertDecision {
  const own = family(rules, firing, "flow");
  const subjects = flows.map((f) => ({
    id: f.name,
    measure: (rule: AlertRuleSpec) => {
      const threshold = rule.threshold ?? 0;
      switch (rule.kind) {
        case "FLOW_SLO_BURN": {
          const percent = f.finished === 0 ? null : (100 * f.overSlo) / f.finished;
          return { breached: percent !== null && percent > threshold, value: percent === null ? null : Math.round(percent * 10) / 10, text: `${percent === null ? "–" : percent.toFixed(1)}% of ${f.finished} instances finished past the end-to-end SLO in ${f.windowMinutes} min > ${threshold}%` };
        }
        case "FLOW_DUPLICATES":
          return { breached: f.duplicates > threshold, value: f.duplicates, text: `${f.duplicates} duplicate deliveries or repeated results in ${f.windowMinutes} min > ${threshold}` };
        default:
          return { breached: f.stuck > threshold, value: f.stuck, text: `${f.stuck} instance${f.stuck === 1 ? "" : "s"} stuck or failed > ${threshold}` };
      }
    },
  }));
  return decide(own.rules, subjects, own.firing, clock, now, { vanished: "flow no longer declared" });
}
