// ACLs: listing with a filter, creating and deleting one binding. Changes are admins' only, and each
// outcome (Signalbox's or Kafka's refusal included) is audited after Kafka answered.
import { describeAcl, type ExistingAclBinding, type NewAclBinding } from "~/lib/acls";
import { createAcl, deleteAcl, describeAllAcls, describeBrokerConfig, describeBrokers, type AclBinding, type AclListing, type ClusterConnectionConfig } from "~/server/broker";
import { writeAudit, type Actor } from "~/server/catalog";
import { AppError } from "~/server/errors";
import type { AclFilter } from "./acls.types";
import { explainAccess, parseSuperUsers, type AclExplanation, type AclQuestion } from "./explain";

const ORDER: (keyof AclBinding)[] = ["principal", "resourceType", "resourceName", "patternType", "operation", "permission", "host"];

export function filterAcls(bindings: AclBinding[], filter: AclFilter): AclBinding[] {
  const principal = filter.principal?.toLowerCase();
  const name = filter.resourceName?.toLowerCase();
  return bindings
    .filter((b) => (!principal || b.principal.toLowerCase().includes(principal)) && (!filter.resourceType || b.resourceType === filter.resourceType) && (!name || b.resourceName.toLowerCase().includes(name)))
    .sort((a, b) => {
      for (const key of ORDER) {
        const c = a[key].localeCompare(b[key]);
        if (c) return c;
      }
      return 0;
    });
}

export async function listAcls(cluster: ClusterConnectionConfig, filter: AclFilter): Promise<AclListing & { total: number }> {
  const listing = await describeAllAcls(cluster);
  if (!listing.enabled) return { ...listing, total: 0 };
  return { enabled: true, bindings: filterAcls(listing.bindings, filter), total: listing.bindings.length };
}

const NO_AUTHORIZER_EXPLAINED = "ACLs are not enabled on this cluster (no authorizer configured): Kafka allows every request, so nothing is denied by an ACL.";

/** What Kafka's authorizer decides for one request, and which ACLs decide it (see explain.ts). */
export async function explainAcl(cluster: ClusterConnectionConfig, question: AclQuestion): Promise<AclExplanation> {
  const listing = await describeAllAcls(cluster);
  if (!listing.enabled) throw new AppError("BAD_REQUEST", NO_AUTHORIZER_EXPLAINED);
  // super.users and allow.everyone.if.no.acl.found are per broker (clusters set them alike, so one broker
  // answers); Kafka's own authorizers keep them out of DescribeConfigs, so they are usually unknown.
  const { brokers } = await describeBrokers(cluster);
  const first = brokers[0];
  const entries = first ? await describeBrokerConfig(cluster, first.nodeId) : [];
  const value = (name: string) => entries.find((e) => e.name === name)?.value ?? null;
  return explainAccess(listing.bindings, question, {
    superUsers: parseSuperUsers(value("super.users")),
    allowEveryoneIfNoAclFound: value("allow.everyone.if.no.acl.found") === null ? null : value("allow.everyone.if.no.acl.found") === "true",
  });
}

async function audited<T extends Record<string, unknown>>(actor: Actor, cluster: ClusterConnectionConfig, action: string, binding: ExistingAclBinding, change: () => Promise<{ refusal: string; code?: "BAD_REQUEST" | "NOT_FOUND" } | T>): Promise<T> {
  const target = { targetType: "acl", targetId: describeAcl(binding) };
  const outcome = await change();
  if ("refusal" in outcome && typeof outcome.refusal === "string") {
    await writeAudit({ actor, action: `${action}-refused`, ...target, details: { cluster: cluster.name, binding, reason: outcome.refusal } });
    throw new AppError((outcome.code as "BAD_REQUEST" | "NOT_FOUND" | undefined) ?? "BAD_REQUEST", outcome.refusal);
  }
  await writeAudit({ actor, action, ...target, details: { cluster: cluster.name, binding, ...outcome } });
  return outcome as T;
}

const NO_AUTHORIZER = "ACLs are not enabled on this cluster (no authorizer configured)";

export async function createAclBinding(actor: Actor, cluster: ClusterConnectionConfig, binding: NewAclBinding) {
  return audited(actor, cluster, "acl.create", binding, async () => {
    const refusal = await createAcl(cluster, binding);
    if (!refusal) return { created: true };
    if (refusal.type === "SECURITY_DISABLED") return { refusal: `${NO_AUTHORIZER}: Kafka stores no ACLs.` };
    return { refusal: `Kafka refused the ACL ${describeAcl(binding)} (${refusal.type}): ${refusal.message}` };
  });
}

export async function deleteAclBinding(actor: Actor, cluster: ClusterConnectionConfig, binding: ExistingAclBinding) {
  return audited(actor, cluster, "acl.delete", binding, async () => {
    const answer = await deleteAcl(cluster, binding);
    if ("type" in answer) return { refusal: answer.type === "SECURITY_DISABLED" ? `${NO_AUTHORIZER}.` : `Kafka refused to delete the ACL ${describeAcl(binding)} (${answer.type}): ${answer.message}` };
    if (answer.deleted === 0) return { refusal: `No ACL ${describeAcl(binding)} exists (someone may have deleted it already).`, code: "NOT_FOUND" as const };
    return { deleted: answer.deleted };
  });
}
