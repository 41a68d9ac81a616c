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
import { AppError } from "~/server/errors";
import { validateRule } from "./evaluate";

/** Webhook URLs may carry tokens: the API shows only their origin. */
export type PublicAlertRule = Omit<AlertRuleRow, "webhookUrl"> & { webhook: string | null };

export function toPublicRule(rule: AlertRuleRow): PublicAlertRule {
  const { webhookUrl, ...rest } = rule;
  return { ...rest, webhook: webhookUrl ? webhookOrigin(webhookUrl) : null };
}

function webhookOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}

function check(input: AlertRuleInput): void {
  const problem = validateRule(input);
  if (problem) throw new AppError("BAD_REQUEST", problem);
  if (input.webhookUrl) {
    let url: URL;
    try {
      url = new URL(input.webhookUrl);
    } catch {
      throw new AppError("BAD_REQUEST", `The webhook "${input.webhookUrl}" is not a URL.`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new AppError("BAD_REQUEST", "The webhook must be an http or https URL.");
  }
}

export async function listRules(clusterName: string): Promise<PublicAlertRule[]> {
  return (await listAlertRules(clusterName)).map(toPublicRule);
}

export async function createRule(actor: Actor, clusterName: string, input: AlertRuleInput): Promise<PublicAlertRule> {
  check(input);
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
