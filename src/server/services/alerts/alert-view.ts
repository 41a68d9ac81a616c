// What each role sees of an alert. A delivery's reason (HTTP status, socket error, refused
// address) tells what answers where inside the network; shown to everyone, the webhook field would
// be a port scanner. Viewers get the coarse state only; operators, who manage rules, get the reason.
import { listAlerts, type AlertRow, type Role, type WebhookDeliveryState } from "~/server/catalog";
import { hasRole } from "~/server/services/auth/roles";

export interface WebhookDeliveryView {
  state: Lowercase<WebhookDeliveryState>;
  /** Operators and admins only; absent for everyone else. */
  reason?: string;
}

export type AlertView = Omit<AlertRow, "webhookState" | "webhookReason"> & { webhook: WebhookDeliveryView | null };

/** `role` null: a signed-in person without a role (sign-in branch), who gets no reasons either. */
export function toAlertView(role: Role | null, alert: AlertRow): AlertView {
  const { webhookState, webhookReason, ...rest } = alert;
  if (!webhookState) return { ...rest, webhook: null };
  const state = webhookState.toLowerCase() as WebhookDeliveryView["state"];
  const showReason = role !== null && hasRole(role, "operator") && webhookReason !== null;
  return { ...rest, webhook: showReason ? { state, reason: webhookReason } : { state } };
}

export async function listAlertsFor(role: Role | null, clusterName: string): Promise<AlertView[]> {
  return (await listAlerts(clusterName)).map((alert) => toAlertView(role, alert));
}
