// Validates WEBHOOK_ALLOWED_HOSTS entries at boot (src/env.ts); the webhook policy
// (services/alerts/webhook-policy.ts) reads the same three forms.
import ipaddr from "ipaddr.js";

/** Whether `entry` is a host name, an IP address or a CIDR range. */
export function isAllowlistEntry(entry: string): boolean {
  const e = entry.trim().replace(/^\[(.*)\]$/, "$1");
  if (e.includes("/")) {
    try {
      ipaddr.parseCIDR(e);
      return true;
    } catch {
      return false;
    }
  }
  return ipaddr.isValid(e) || /^(?=.{1,253}\.?$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i.test(e);
}
