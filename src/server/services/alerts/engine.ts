// The worker's side of alerting: evaluate the rules after each sampler cycle, store what fires and
// resolves, and queue a webhook delivery for each change. Delivering is the webhook queue's job
// (webhook-jobs.ts): a slow or hung receiver must never hold up the sampler.
import { createLogger } from "~/lib/logger";
import {
  CHANNELS,
  enqueueWebhook,
  listAlertRules,
  listFiringAlerts,
  notify,
  openAlert,
  recordWebhookStatus,
  resolveAlert,
  WEBHOOK_RETRY,
  type AlertRow,
  type WebhookRetry,
} from "~/server/catalog";
import { describeError } from "~/server/errors";
import type { LagSnapshot } from "~/server/services/lag/types";
import type { OutboxSnapshot } from "~/server/services/outbox/outbox.types";
import { evaluateAlerts, evaluateConnectorAlerts, evaluateFlowAlerts, evaluateOutboxAlerts, type AlertDecision, type AlertRuleSpec, type ConditionClock, type ConnectorHealth, type FlowHealth } from "./evaluate";

const log = createLogger("alerts");

/** What the worker read of a Kafka cluster's Connect clusters in one round. */
export interface ConnectSnapshot {
  cluster: string;
  takenAt: number;
  connectors: ConnectorHealth[];
  /** Connect clusters that did not answer: their connectors' alerts stay as they are. */
  unreachable: string[];
}

export class AlertEngine {
  private readonly clock: ConditionClock = new Map();
  /** Apart from the lag rules' clock: each evaluation forgets the conditions it did not see. */
  private readonly connectorClock: ConditionClock = new Map();
  private readonly outboxClock: ConditionClock = new Map();
  private readonly flowClock: ConditionClock = new Map();

  constructor(private readonly options: { retry?: WebhookRetry } = {}) {}

  async onSnapshot(snapshot: LagSnapshot): Promise<{ fired: number; resolved: number }> {
    return this.evaluate(snapshot.cluster, snapshot.takenAt, (rules, firing) => evaluateAlerts(rules, snapshot, firing, this.clock, snapshot.takenAt));
  }

  /** CONNECTOR_FAILED rules over the connectors the worker just read (services/connect/health.ts). */
  async onConnectors(snapshot: ConnectSnapshot): Promise<{ fired: number; resolved: number }> {
    return this.evaluate(snapshot.cluster, snapshot.takenAt, (rules, firing) => evaluateConnectorAlerts(rules, snapshot.connectors, new Set(snapshot.unreachable), firing, this.connectorClock, snapshot.takenAt));
  }

  /** OUTBOX_STALLED rules over the outbox tables the worker just read (services/outbox/monitor.ts). */
  async onOutboxes(snapshot: OutboxSnapshot): Promise<{ fired: number; resolved: number }> {
    return this.evaluate(snapshot.cluster, snapshot.takenAt, (rules, firing) => evaluateOutboxAlerts(rules, snapshot.outboxes, new Set(snapshot.unreachable), firing, this.outboxClock, snapshot.takenAt));
  }

  /** FLOW_* rules over the declared flows the flow monitor just counted (services/flows/monitor.ts). */
  async onFlows(snapshot: { cluster: string; takenAt: number; flows: FlowHealth[] }): Promise<{ fired: number; resolved: number }> {
    return this.evaluate(snapshot.cluster, snapshot.takenAt, (rules, firing) => evaluateFlowAlerts(rules, snapshot.flows, firing, this.flowClock, snapshot.takenAt));
  }

  private async evaluate(cluster: string, takenAt: number, decide: (rules: AlertRuleSpec[], firing: Awaited<ReturnType<typeof listFiringAlerts>>) => AlertDecision): Promise<{ fired: number; resolved: number }> {
    const [rules, firing] = await Promise.all([listAlertRules(cluster), listFiringAlerts(cluster)]);
    if (rules.length === 0 && firing.length === 0) return { fired: 0, resolved: 0 };
    const decision = decide(rules, firing);
    const hasWebhook = new Set(rules.filter((r) => r.webhookUrl).map((r) => r.id));
    const now = new Date(takenAt);
    const changed: AlertRow[] = [];
    for (const f of decision.fire) changed.push(await openAlert({ ...f, firedAt: now }));
    for (const r of decision.resolve) changed.push(await resolveAlert(r.alert.id, now, r.message));
    for (const alert of changed) {
      log.info(alert.state === "FIRING" ? "alert firing" : "alert resolved", { rule: alert.ruleName, group: alert.groupId, message: alert.message });
      if (hasWebhook.has(alert.ruleId)) await this.queueWebhook(alert);
    }
    if (changed.length) await notify(CHANNELS.alerts, String(changed.length));
    return { fired: decision.fire.length, resolved: decision.resolve.length };
  }

  private async queueWebhook(alert: AlertRow): Promise<void> {
    // Pending first: the delivery may finish (and record its outcome) before send() returns.
    await recordWebhookStatus(alert.id, "PENDING", "queued");
    try {
      await enqueueWebhook({ alertId: alert.id, alertState: alert.state, ruleId: alert.ruleId, payload: webhookPayload(alert) }, this.options.retry ?? WEBHOOK_RETRY);
    } catch (error) {
      log.warn("alert webhook could not be queued", { alert: alert.id, error: describeError(error) });
      await recordWebhookStatus(alert.id, "FAILED", "could not be queued");
    }
  }
}

/** The JSON a webhook receives, fixed when the alert changed (a later retry sends the same). */
export function webhookPayload(alert: AlertRow): Record<string, unknown> {
  return {
    status: alert.state === "FIRING" ? "firing" : "resolved",
    rule: alert.ruleName,
    // A CONNECTOR_FAILED alert is about a connector (`<connect>/<connector>`), an OUTBOX_STALLED one about an outbox, not a group.
    ...(alert.ruleKind === "CONNECTOR_FAILED" ? { connector: alert.groupId } : alert.ruleKind === "OUTBOX_STALLED" ? { outbox: alert.groupId } : alert.ruleKind.startsWith("FLOW_") ? { flow: alert.groupId } : { consumerGroup: alert.groupId }),
    value: alert.value,
    message: alert.message,
    firedAt: alert.firedAt.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    alertId: alert.id,
  };
}
