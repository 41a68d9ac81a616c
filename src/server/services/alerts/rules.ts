// Managing alert rules: validated, audited. Operators (and admins) call these through the API.
import {
  createAlertRule,
  deleteAlertRule,
  listAlertRules,
  updateAlertRule,
  writeAudit,
  type Actor,
  type AlertRuleInput,
  type AlertRuleRow,
} from "~/server/catalog";
import { getEnv } from "~/env";
import { AppError } from "~/server/errors";
import { validateRule } from "./evaluate";
import { ALLOWLIST_VARIABLE, checkWebhookOnSave, webhookOrigin, webhookPolicy, WebhookRefused, type WebhookPolicy } from "./webhook-policy";

/** Webhook URLs may carry tokens: the API shows only their origin. */
export type PublicAlertRule = Omit<AlertRuleRow, "webhookUrl"> & { webhook: string | null };

export function toPublicRule(rule: AlertRuleRow): PublicAlertRule {
  const { webhookUrl, ...rest } = rule;
  return { ...rest, webhook: webhookUrl ? webhookOrigin(webhookUrl) : null };
}

/** The policy this process enforces: WEBHOOK_ALLOWED_HOSTS from its configuration. */
export function configuredWebhookPolicy(): WebhookPolicy {
  return webhookPolicy(getEnv().WEBHOOK_ALLOWED_HOSTS);
}

async function check(input: AlertRuleInput, policy: WebhookPolicy): Promise<void> {
  const problem = validateRule(input);
  if (problem) throw new AppError("BAD_REQUEST", problem);
  if (!input.webhookUrl) return;
  try {
    await checkWebhookOnSave(input.webhookUrl, policy);
  } catch (error) {
    if (!(error instanceof WebhookRefused)) throw error;
    // Never echo the URL itself: its path or query may hold a token.
    const hint = error.kind === "url" ? "" : ` Signalbox only calls public addresses; to allow this one, name it in ${ALLOWLIST_VARIABLE}.`;
    throw new AppError("BAD_REQUEST", `Alert rule "${input.name}": ${error.reason}.${hint}`);
  }
}

export async function listRules(clusterName: string): Promise<PublicAlertRule[]> {
  return (await listAlertRules(clusterName)).map(toPublicRule);
}

/** One rule of the cluster; NOT_FOUND names the id when there is none. */
export async function findRule(clusterName: string, id: string): Promise<PublicAlertRule> {
  const rule = (await listRules(clusterName)).find((r) => r.id === id);
  if (!rule) throw new AppError("NOT_FOUND", `No alert rule with id ${id}.`);
  return rule;
}

export async function createRule(actor: Actor, clusterName: string, input: AlertRuleInput, policy: WebhookPolicy = configuredWebhookPolicy()): Promise<PublicAlertRule> {
  await check(input, policy);
  const rule = await createAlertRule(clusterName, input, actor.email);
  await writeAudit({ actor, action: "alert-rule.create", targetType: "alert-rule", targetId: rule.id, details: { ...toPublicRule(rule) } });
  return toPublicRule(rule);
}

export async function setRuleEnabled(actor: Actor, id: string, enabled: boolean): Promise<PublicAlertRule> {
  const rule = await updateAlertRule(id, { enabled });
  if (!rule) throw new AppError("NOT_FOUND", `No alert rule with id ${id}.`);
  await writeAudit({ actor, action: enabled ? "alert-rule.enable" : "alert-rule.disable", targetType: "alert-rule", targetId: id, details: { name: rule.name } });
  return toPublicRule(rule);
}

export async function removeRule(actor: Actor, id: string): Promise<void> {
  const rule = await deleteAlertRule(id);
  if (!rule) throw new AppError("NOT_FOUND", `No alert rule with id ${id}.`);
  await writeAudit({ actor, action: "alert-rule.delete", targetType: "alert-rule", targetId: id, details: { ...toPublicRule(rule) } });
}
