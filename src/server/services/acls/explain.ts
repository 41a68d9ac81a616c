// "Why is this denied?": which ACLs decide whether a principal may perform an operation on a resource,
// by the rules Kafka's authorizer applies (StandardAuthorizer, and AclAuthorizer before it):
// - a super user (the brokers' `super.users`) may do everything;
// - a binding applies when its resource pattern covers the resource (LITERAL: the same name or *;
//   PREFIXED: a prefix of the name), its principal is the caller's or User:*, its host is the
//   caller's or *;
// - a DENY for the operation (or ALL) wins over any ALLOW;
// - an ALLOW for the operation, for ALL, or for an operation that implies it (READ, WRITE, DELETE and
//   ALTER imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS) allows it;
// - with no binding on the resource at all, `allow.everyone.if.no.acl.found` decides; otherwise no
//   ALLOW means denied.
import type { AclBinding } from "~/server/broker";
import type { AclOperation, AclResourceType } from "~/lib/acls";

export interface AclQuestion {
  principal: string;
  host: string;
  operation: AclOperation;
  resourceType: AclResourceType;
  resourceName: string;
}

/**
 * The authorizer's own settings. Kafka's DescribeConfigs does not report them (they belong to the
 * authorizer, not to the broker's config definition), so null means unknown: the explanation then
 * assumes Kafka's defaults (no super users, false) and says so.
 */
export interface AuthorizerSettings {
  superUsers: string[] | null;
  allowEveryoneIfNoAclFound: boolean | null;
}

export type RuleEffect = "denies" | "allows" | "other-principal" | "other-host" | "other-operation";

export interface ExplainedRule {
  binding: AclBinding;
  effect: RuleEffect;
  /** One sentence on what this binding does for the question. */
  why: string;
}

export interface AclExplanation {
  decision: "ALLOWED" | "DENIED";
  reason: string;
  /** Every binding whose resource pattern covers the resource, deciding ones first. */
  rules: ExplainedRule[];
}

const IMPLIED_BY: Partial<Record<AclOperation, AclOperation[]>> = {
  DESCRIBE: ["READ", "WRITE", "DELETE", "ALTER"],
  DESCRIBE_CONFIGS: ["ALTER_CONFIGS"],
};

export function patternCovers(binding: Pick<AclBinding, "resourceType" | "resourceName" | "patternType">, resourceType: string, resourceName: string): boolean {
  if (binding.resourceType !== resourceType) return false;
  if (binding.patternType === "PREFIXED") return resourceName.startsWith(binding.resourceName);
  return binding.resourceName === "*" || binding.resourceName === resourceName;
}

function operationMatches(binding: AclBinding, operation: AclOperation): boolean {
  if (binding.operation === "ALL" || binding.operation === operation) return true;
  // Only an ALLOW implies: a DENY READ does not deny DESCRIBE.
  return binding.permission === "ALLOW" && (IMPLIED_BY[operation] ?? []).includes(binding.operation as AclOperation);
}

const RANK: Record<RuleEffect, number> = { denies: 0, allows: 1, "other-operation": 2, "other-principal": 3, "other-host": 4 };

export function explainAccess(bindings: AclBinding[], question: AclQuestion, settings: AuthorizerSettings): AclExplanation {
  const on = bindings.filter((b) => patternCovers(b, question.resourceType, question.resourceName));
  const rules = on
    .map((binding): ExplainedRule => {
      if (binding.principal !== question.principal && binding.principal !== "User:*") return { binding, effect: "other-principal", why: `For ${binding.principal}, not ${question.principal}.` };
      if (binding.host !== "*" && binding.host !== question.host) return { binding, effect: "other-host", why: `Only from host ${binding.host}.` };
      if (!operationMatches(binding, question.operation)) return { binding, effect: "other-operation", why: `${binding.permission}s ${binding.operation}, which does not cover ${question.operation}.` };
      const via = binding.operation === question.operation ? "" : binding.operation === "ALL" ? " (ALL covers every operation)" : ` (${binding.operation} implies ${question.operation})`;
      return binding.permission === "DENY"
        ? { binding, effect: "denies", why: `Denies ${question.operation}${via}; a DENY wins over every ALLOW.` }
        : { binding, effect: "allows", why: `Allows ${question.operation}${via}.` };
    })
    .sort((a, b) => RANK[a.effect] - RANK[b.effect]);
  const resource = `${question.resourceType} ${question.resourceName}`;
  const who = `${question.principal} from ${question.host}`;

  if (settings.superUsers?.includes(question.principal)) {
    return { decision: "ALLOWED", reason: `${question.principal} is a super user (the brokers' super.users): Kafka allows it everything, whatever the ACLs say.`, rules };
  }
  // Unknown super users could overrule a denial; an allowance stands either way.
  const unlessSuper =
    settings.superUsers === null ? ` Unless ${question.principal} is listed in the brokers' super.users (Kafka does not report that setting; see server.properties), which allows everything.` : "";
  const deny = rules.find((r) => r.effect === "denies");
  if (deny) return { decision: "DENIED", reason: `A DENY binding applies to ${who} for ${question.operation} on ${resource}.${unlessSuper}`, rules };
  if (rules.some((r) => r.effect === "allows")) return { decision: "ALLOWED", reason: `An ALLOW binding applies to ${who} for ${question.operation} on ${resource}, and no DENY does.`, rules };
  if (on.length === 0) {
    if (settings.allowEveryoneIfNoAclFound) return { decision: "ALLOWED", reason: `No ACL names ${resource}, and the brokers set allow.everyone.if.no.acl.found=true.`, rules };
    const setting = settings.allowEveryoneIfNoAclFound === null ? "allow.everyone.if.no.acl.found is false unless the brokers set it" : "allow.everyone.if.no.acl.found is false";
    return { decision: "DENIED", reason: `No ACL names ${resource} at all (${setting}). Add an ALLOW binding for ${question.principal}.${unlessSuper}`, rules };
  }
  return {
    decision: "DENIED",
    reason: `${on.length} binding${on.length === 1 ? "" : "s"} on ${resource}, but none allows ${question.operation} to ${who}. Add an ALLOW binding for ${question.principal}.${unlessSuper}`,
    rules,
  };
}

/** `super.users` is a semicolon-separated list of principals; null when the broker did not report it. */
export function parseSuperUsers(value: string | null | undefined): string[] | null {
  if (value === null || value === undefined) return null;
  return value
    .split(";")
    .map((s) => s.trim())
    .filter(Boolean);
}
