// The worker's side of alerting: evaluate the rules after each sampler cycle, store what fires and
// resolves, and POST each change to the rule's webhook.
import { createLogger } from "~/lib/logger";
import { CHANNELS, listAlertRules, listFiringAlerts, notify, openAlert, recordWebhookStatus, resolveAlert, type AlertRow } from "~/server/catalog";
import type { LagSnapshot } from "~/server/services/lag/types";
import { evaluateAlerts, type ConditionClock } from "./evaluate";

const log = createLogger("alerts");

export class AlertEngine {
  private readonly clock: ConditionClock = new Map();

  async onSnapshot(snapshot: LagSnapshot): Promise<{ fired: number; resolved: number }> {
    const [rules, firing] = await Promise.all([listAlertRules(snapshot.cluster), listFiringAlerts(snapshot.cluster)]);
    if (rules.length === 0 && firing.length === 0) return { fired: 0, resolved: 0 };
    const decision = evaluateAlerts(rules, snapshot, firing, this.clock, snapshot.takenAt);
    const webhooks = new Map(rules.map((r) => [r.id, r.webhookUrl]));
    const now = new Date(snapshot.takenAt);
    const changed: AlertRow[] = [];
    for (const f of decision.fire) changed.push(await openAlert({ ...f, firedAt: now }));
    for (const r of decision.resolve) changed.push(await resolveAlert(r.alert.id, now, r.message));
    for (const alert of changed) {
      log.info(alert.state === "FIRING" ? "alert firing" : "alert resolved", { rule: alert.ruleName, group: alert.groupId, message: alert.message });
      const url = webhooks.get(alert.ruleId);
      if (url) await recordWebhookStatus(alert.id, await postWebhook(url, alert));
    }
    if (changed.length) await notify(CHANNELS.alerts, String(changed.length));
    return { fired: decision.fire.length, resolved: decision.resolve.length };
  }
}

/** POSTs the alert as JSON; returns the HTTP status or the network error's code, never throws. */
export async function postWebhook(url: string, alert: AlertRow): Promise<string> {
  const body = {
    status: alert.state === "FIRING" ? "firing" : "resolved",
    rule: alert.ruleName,
    consumerGroup: alert.groupId,
    value: alert.value,
    message: alert.message,
    firedAt: alert.firedAt.toISOString(),
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    alertId: alert.id,
  };
  try {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
    return String(response.status);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const status = cause ?? (error instanceof Error ? error.name : "error");
    // The URL may carry a token in its query string: log only its origin.
    log.warn("alert webhook failed", { origin: safeOrigin(url), status });
    return status;
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}
