// Kafka's ACL vocabulary and the checks a new binding gets: shared by the ACL form, which offers only
// the operations that apply to the chosen resource type, and the server, which checks again.
import { z } from "zod";

export const ACL_RESOURCE_TYPES = ["TOPIC", "GROUP", "CLUSTER", "TRANSACTIONAL_ID", "DELEGATION_TOKEN"] as const;
export type AclResourceType = (typeof ACL_RESOURCE_TYPES)[number];
export const ACL_PATTERN_TYPES = ["LITERAL", "PREFIXED"] as const;
export type AclPatternType = (typeof ACL_PATTERN_TYPES)[number];
export const ACL_PERMISSIONS = ["ALLOW", "DENY"] as const;
export type AclPermission = (typeof ACL_PERMISSIONS)[number];
export const ACL_OPERATIONS = ["ALL", "READ", "WRITE", "CREATE", "DELETE", "ALTER", "DESCRIBE", "CLUSTER_ACTION", "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE"] as const;
export type AclOperation = (typeof ACL_OPERATIONS)[number];

/**
 * The operations that mean something on each resource type (Kafka's "Operations and Resources on
 * Protocols" table). Kafka stores any combination; one that no request ever checks is a mistake.
 */
export const OPERATIONS_BY_RESOURCE: Record<AclResourceType, readonly AclOperation[]> = {
  TOPIC: ["ALL", "READ", "WRITE", "CREATE", "DELETE", "ALTER", "DESCRIBE", "DESCRIBE_CONFIGS", "ALTER_CONFIGS"],
  GROUP: ["ALL", "READ", "DELETE", "DESCRIBE"],
  CLUSTER: ["ALL", "CREATE", "ALTER", "DESCRIBE", "CLUSTER_ACTION", "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "IDEMPOTENT_WRITE"],
  TRANSACTIONAL_ID: ["ALL", "WRITE", "DESCRIBE"],
  DELEGATION_TOKEN: ["ALL", "DESCRIBE"],
};

/** The only name a CLUSTER resource has. */
export const CLUSTER_RESOURCE_NAME = "kafka-cluster";

/** A binding by its fields alone: what deleting one names (Kafka may hold combinations no request checks). */
export const existingAclSchema = z.object({
  principal: z
    .string()
    .trim()
    .min(1, "Name the principal, e.g. User:alice.")
    .max(1000)
    .regex(/^[A-Za-z][A-Za-z0-9_-]*:.+$/, "A principal is TYPE:NAME, e.g. User:alice or User:CN=client (the type before the colon)."),
  host: z
    .string()
    .trim()
    .min(1, "Name the host: * for any, or an IP address.")
    .max(255)
    .refine((h) => h === "*" || /^[0-9a-fA-F.:]+$/.test(h), "The host is * or an IP address (Kafka's authorizer matches addresses, not names)."),
  operation: z.enum(ACL_OPERATIONS, { error: `The operation is one of ${ACL_OPERATIONS.join(", ")}.` }),
  permission: z.enum(ACL_PERMISSIONS, { error: "The permission is ALLOW or DENY." }),
  resourceType: z.enum(ACL_RESOURCE_TYPES, { error: `The resource type is one of ${ACL_RESOURCE_TYPES.join(", ")}.` }),
  resourceName: z.string().trim().min(1, "Name the resource, or * for every resource of its type.").max(1000),
  patternType: z.enum(ACL_PATTERN_TYPES, { error: "The pattern type is LITERAL or PREFIXED." }),
});

/** A new binding: its fields, and a combination that some request checks. */
export const aclBindingSchema = existingAclSchema.superRefine((b, ctx) => {
  if (!OPERATIONS_BY_RESOURCE[b.resourceType].includes(b.operation))
    ctx.addIssue({ code: "custom", path: ["operation"], message: `${b.operation} does not apply to a ${b.resourceType}; it takes ${OPERATIONS_BY_RESOURCE[b.resourceType].join(", ")}.` });
  if (b.resourceType === "CLUSTER" && b.resourceName !== CLUSTER_RESOURCE_NAME)
    ctx.addIssue({ code: "custom", path: ["resourceName"], message: `A CLUSTER resource is always named ${CLUSTER_RESOURCE_NAME}.` });
  if (b.patternType === "PREFIXED" && b.resourceName === "*") ctx.addIssue({ code: "custom", path: ["patternType"], message: "* is a LITERAL name (every resource); a PREFIXED pattern needs a prefix." });
});
export type AclBindingInput = z.input<typeof aclBindingSchema>;
export type NewAclBinding = z.output<typeof aclBindingSchema>;

/** One line for the audit log and confirmations: "User:bob ALLOW READ on TOPIC orders (LITERAL) from *". */
export function describeAcl(b: { principal: string; host: string; operation: string; permission: string; resourceType: string; resourceName: string; patternType: string }): string {
  return `${b.principal} ${b.permission} ${b.operation} on ${b.resourceType} ${b.resourceName} (${b.patternType}) from ${b.host}`;
}
export type ExistingAclBinding = z.output<typeof existingAclSchema>;

/**
 * A form's fields after its resource type changed: an operation the new type does not take becomes
 * its first (ALL skipped when `withoutAll`), and the name becomes the cluster's one name for CLUSTER,
 * or empty when leaving CLUSTER.
 */
export function onResourceType<T extends { resourceType: string; operation: string; resourceName: string }>(current: T, resourceType: AclResourceType, withoutAll = false): T {
  const next = { ...current, resourceType };
  const operations = OPERATIONS_BY_RESOURCE[resourceType].filter((o) => !withoutAll || o !== "ALL");
  if (!operations.includes(next.operation as AclOperation)) next.operation = operations[0]!;
  if (resourceType === "CLUSTER") next.resourceName = CLUSTER_RESOURCE_NAME;
  else if (current.resourceType === "CLUSTER") next.resourceName = "";
  return next;
}
