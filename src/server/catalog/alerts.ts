// Alert rules and alerts. Rules are changed by operators (through audited services); alerts are
// written by the worker's evaluator.
import "server-only";
import { getDb } from "./db";
import type { AlertKind, AlertState, WebhookDeliveryState } from "./generated/prisma/client";

export type { WebhookDeliveryState };

export interface AlertRuleRow {
  id: string;
  clusterName: string;
  name: string;
  kind: AlertKind;
  groupPattern: string;
  threshold: number | null;
  forMinutes: number;
  webhookUrl: string | null;
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type AlertRuleInput = Pick<AlertRuleRow, "name" | "kind" | "groupPattern" | "threshold" | "forMinutes" | "webhookUrl" | "enabled">;

export interface AlertRow {
  id: string;
  ruleId: string;
  ruleName: string;
  /** What the rule watches: lag and status rules a consumer group, CONNECTOR_FAILED a connector (`groupId` is `<connect>/<connector>`). */
  ruleKind: AlertRuleRow["kind"];
  groupId: string;
  state: AlertState;
  firedAt: Date;
  resolvedAt: Date | null;
  value: number | null;
  message: string;
  /** Null when the rule has no webhook. */
  webhookState: WebhookDeliveryState | null;
  /** Operators only: an HTTP status, a socket error code, or why the policy refused the address. */
  webhookReason: string | null;
}

export async function listAlertRules(clusterName: string): Promise<AlertRuleRow[]> {
  return getDb().alertRule.findMany({ where: { clusterName }, orderBy: { createdAt: "asc" } });
}

export async function createAlertRule(clusterName: string, input: AlertRuleInput, createdBy: string): Promise<AlertRuleRow> {
  return getDb().alertRule.create({ data: { clusterName, ...input, createdBy } });
}

export async function updateAlertRule(id: string, input: Partial<AlertRuleInput>): Promise<AlertRuleRow | null> {
  const existing = await getDb().alertRule.findUnique({ where: { id } });
  if (!existing) return null;
  return getDb().alertRule.update({ where: { id }, data: input });
}

export async function deleteAlertRule(id: string): Promise<AlertRuleRow | null> {
  const existing = await getDb().alertRule.findUnique({ where: { id } });
  if (!existing) return null;
  await getDb().alertRule.delete({ where: { id } });
  return existing;
}

export async function listFiringAlerts(clusterName: string): Promise<{ id: string; ruleId: string; groupId: string }[]> {
  return getDb().alert.findMany({ where: { state: "FIRING", rule: { clusterName } }, select: { id: true, ruleId: true, groupId: true } });
}

export async function openAlert(input: { ruleId: string; groupId: string; value: number | null; message: string; firedAt: Date }): Promise<AlertRow> {
  const alert = await getDb().alert.create({ data: { ...input, state: "FIRING" }, include: { rule: { select: { name: true, kind: true } } } });
  return toRow(alert);
}

export async function resolveAlert(id: string, resolvedAt: Date, message: string): Promise<AlertRow> {
  const alert = await getDb().alert.update({ where: { id }, data: { state: "RESOLVED", resolvedAt, message }, include: { rule: { select: { name: true, kind: true } } } });
  return toRow(alert);
}

/**
 * Records where an alert's webhook delivery stands. With `forAlertState`, only while the alert is
 * still in that state: a late outcome of the "firing" delivery must not overwrite the "resolved"
 * one's. A no-op once the alert (or its rule) is deleted.
 */
export async function recordWebhookStatus(id: string, state: WebhookDeliveryState, reason: string | null, forAlertState?: AlertState): Promise<void> {
  await getDb().alert.updateMany({ where: { id, ...(forAlertState ? { state: forAlertState } : {}) }, data: { webhookState: state, webhookReason: reason } });
}

/** The rule's webhook URL as stored (with its secrets), for the worker's delivery only. */
export async function findAlertRuleWebhook(ruleId: string): Promise<string | null> {
  const rule = await getDb().alertRule.findUnique({ where: { id: ruleId }, select: { webhookUrl: true } });
  return rule?.webhookUrl ?? null;
}

/** Firing alerts first, then the most recent resolved ones. */
export async function listAlerts(clusterName: string, limit = 200): Promise<AlertRow[]> {
  const rows = await getDb().alert.findMany({
    where: { rule: { clusterName } },
    orderBy: [{ state: "asc" }, { firedAt: "desc" }],
    take: limit,
    include: { rule: { select: { name: true, kind: true } } },
  });
  return rows.map(toRow);
}

function toRow(a: { id: string; ruleId: string; groupId: string; state: AlertState; firedAt: Date; resolvedAt: Date | null; value: number | null; message: string; webhookState: WebhookDeliveryState | null; webhookReason: string | null; rule: { name: string; kind: AlertRuleRow["kind"] } }): AlertRow {
  return { id: a.id, ruleId: a.ruleId, ruleName: a.rule.name, ruleKind: a.rule.kind, groupId: a.groupId, state: a.state, firedAt: a.firedAt, resolvedAt: a.resolvedAt, value: a.value, message: a.message, webhookState: a.webhookState, webhookReason: a.webhookReason };
}
