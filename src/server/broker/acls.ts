// ACLs through kafkajs's DescribeAcls, CreateAcls and DeleteAcls. A cluster without an authorizer
// answers SECURITY_DISABLED: that is a state of the cluster the page shows, not an error.
import "server-only";
import kafkajs from "kafkajs";
import { call } from "./admin";
import { kafkaErrorTypes } from "./errors";
import type { AclBinding, AclOperation, AclPatternType, AclPermission, AclResourceType, ClusterConnectionConfig, KafkaRefusal } from "./types";

const { AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } = kafkajs;

const RESOURCE_TYPES: Record<AclResourceType, number> = {
  TOPIC: AclResourceTypes.TOPIC,
  GROUP: AclResourceTypes.GROUP,
  CLUSTER: AclResourceTypes.CLUSTER,
  TRANSACTIONAL_ID: AclResourceTypes.TRANSACTIONAL_ID,
  DELEGATION_TOKEN: AclResourceTypes.DELEGATION_TOKEN,
};
const OPERATIONS: Record<AclOperation, number> = {
  ALL: AclOperationTypes.ALL,
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  CREATE: AclOperationTypes.CREATE,
  DELETE: AclOperationTypes.DELETE,
  ALTER: AclOperationTypes.ALTER,
  DESCRIBE: AclOperationTypes.DESCRIBE,
  CLUSTER_ACTION: AclOperationTypes.CLUSTER_ACTION,
  DESCRIBE_CONFIGS: AclOperationTypes.DESCRIBE_CONFIGS,
  ALTER_CONFIGS: AclOperationTypes.ALTER_CONFIGS,
  IDEMPOTENT_WRITE: AclOperationTypes.IDEMPOTENT_WRITE,
};
const PERMISSIONS: Record<AclPermission, number> = { ALLOW: AclPermissionTypes.ALLOW, DENY: AclPermissionTypes.DENY };
const PATTERNS: Record<AclPatternType, number> = { LITERAL: ResourcePatternTypes.LITERAL, PREFIXED: ResourcePatternTypes.PREFIXED };

/** Kafka's number → Signalbox's name; a number newer than kafkajs (e.g. CREATE_TOKENS) keeps its number. */
function nameOf<N extends string>(table: Record<N, number>, value: number): N | `UNKNOWN(${number})` {
  const found = (Object.keys(table) as N[]).find((k) => table[k] === value);
  return found ?? `UNKNOWN(${value})`;
}

export type AclListing = { enabled: true; bindings: AclBinding[] } | { enabled: false; reason: string };

/** Every ACL binding of the cluster, or that the cluster has no authorizer. */
export async function describeAllAcls(config: ClusterConnectionConfig): Promise<AclListing> {
  return call(config, "list ACLs", async (admin) => {
    try {
      const answer = await admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      const bindings: AclBinding[] = answer.resources.flatMap((r) =>
        r.acls.map((a) => ({
          principal: a.principal,
          host: a.host,
          operation: nameOf(OPERATIONS, a.operation),
          permission: nameOf(PERMISSIONS, a.permissionType),
          resourceType: nameOf(RESOURCE_TYPES, r.resourceType),
          resourceName: r.resourceName,
          patternType: nameOf(PATTERNS, r.resourcePatternType),
        })),
      );
      return { enabled: true, bindings };
    } catch (error) {
      if (kafkaErrorTypes(error).includes("SECURITY_DISABLED")) return { enabled: false, reason: "no authorizer configured (authorizer.class.name is empty on the broker)" };
      throw error;
    }
  });
}

/** A binding with only names Kafka knows, as create and delete take it. */
export interface KnownAclBinding {
  principal: string;
  host: string;
  operation: AclOperation;
  permission: AclPermission;
  resourceType: AclResourceType;
  resourceName: string;
  patternType: AclPatternType;
}

function toKafkaAcl(b: KnownAclBinding) {
  return {
    principal: b.principal,
    host: b.host,
    operation: OPERATIONS[b.operation],
    permissionType: PERMISSIONS[b.permission],
    resourceType: RESOURCE_TYPES[b.resourceType],
    resourceName: b.resourceName,
    resourcePatternType: PATTERNS[b.patternType],
  };
}

// What Kafka answers about a binding itself (not about reaching it).
const ACL_REFUSALS = new Set(["SECURITY_DISABLED", "INVALID_REQUEST", "CLUSTER_AUTHORIZATION_FAILED", "UNSUPPORTED_VERSION", "INVALID_PRINCIPAL_TYPE", "UNKNOWN_SERVER_ERROR"]);

function aclRefusal(error: unknown): KafkaRefusal | null {
  const type = kafkaErrorTypes(error).find((t) => ACL_REFUSALS.has(t));
  return type ? { type, message: error instanceof Error ? error.message : String(error) } : null;
}

/** Creates one binding; returns Kafka's refusal, or null when it was created (an existing one is left as it is). */
export async function createAcl(config: ClusterConnectionConfig, binding: KnownAclBinding): Promise<KafkaRefusal | null> {
  return call(config, "create an ACL", async (admin) => {
    try {
      await admin.createAcls({ acl: [toKafkaAcl(binding)] });
      return null;
    } catch (error) {
      const refusal = aclRefusal(error);
      if (refusal) return refusal;
      throw error;
    }
  });
}

/** Deletes exactly this binding (every field matched literally); returns how many Kafka deleted, or its refusal. */
export async function deleteAcl(config: ClusterConnectionConfig, binding: KnownAclBinding): Promise<{ deleted: number } | KafkaRefusal> {
  return call(config, "delete an ACL", async (admin) => {
    try {
      const answer = await admin.deleteAcls({ filters: [toKafkaAcl(binding)] });
      const response = answer.filterResponses[0];
      if (response && response.errorCode !== 0) return { type: `error ${response.errorCode}`, message: response.errorMessage ?? "Kafka did not delete the ACL" };
      return { deleted: response?.matchingAcls.length ?? 0 };
    } catch (error) {
      const refusal = aclRefusal(error);
      if (refusal) return refusal;
      throw error;
    }
  });
}
