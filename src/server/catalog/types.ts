// Catalog shapes shared with the rest of the server (and, where marked public, the browser, which
// imports them as types only).
import "server-only";
import type { ClusterSource, SaslMechanism, SecurityProtocol } from "~/lib/clusters";
import type { Role } from "~/lib/roles";

export { ROLES, type Role } from "~/lib/roles";

/** How a request proved who it is. "none" is SIGNALBOX_AUTH=none (local development only). */
export const AUTH_METHODS = ["password", "oidc", "token", "none", "system"] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/**
 * Who is acting. `role` is null for a signed-in person whom no rule gives a role. The optional
 * fields describe how the request arrived; the audit log records them with every entry.
 */
export interface Actor {
  email: string;
  name: string;
  role: Role | null;
  kind?: "user" | "token" | "system";
  /** The user's id (for a token: its owner's), when the actor exists in the catalog. */
  userId?: string;
  tokenName?: string;
  method?: AuthMethod;
  clientIp?: string | null;
  userAgent?: string | null;
  /**
   * Everything the actor may do: its own role plus role bindings limited by name patterns
   * (services/auth/authorize.ts). Absent: the role alone, everywhere.
   */
  grants?: { role: Role; scope: Record<"clusters" | "topics" | "groups" | "subjects", string[]> | null; source: string }[];
}

/** A cluster as the browser may see it: each secret is reduced to whether it is set. */
export interface PublicCluster {
  id: string;
  name: string;
  source: ClusterSource;
  bootstrapServers: string[];
  securityProtocol: SecurityProtocol;
  saslMechanism: SaslMechanism | null;
  saslUsername: string | null;
  hasPassword: boolean;
  hasTlsCa: boolean;
  hasTlsCert: boolean;
  hasTlsKey: boolean;
  hasTlsKeyPassphrase: boolean;
  tlsVerifyHostname: boolean;
  label: string | null;
  color: string | null;
  schemaRegistryUrl: string | null;
  /** How Signalbox authenticates to the external registry, with the Basic username; the password or token only as whether it is set. */
  schemaRegistryAuthKind: "basic" | "bearer" | null;
  schemaRegistryUsername: string | null;
  hasSchemaRegistrySecret: boolean;
  hasSchemaRegistryCa: boolean;
  /** Kafka Connect clusters; `basicAuth` says only whether credentials are configured. */
  connect: { name: string; url: string; basicAuth: boolean }[];
  isDefault: boolean;
  updatedAt: Date;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actorEmail: string;
  actorRole: Role | null;
  actorKind: string;
  tokenName: string | null;
  authMethod: string | null;
  clientIp: string | null;
  userAgent: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: unknown;
}

/** Confluent Schema Registry's compatibility levels (same names, same meanings). */
export const COMPATIBILITY_MODES = ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];
/** Schema formats, as the registry API names them (Confluent's schemaType). */
export const SCHEMA_TYPES = ["JSON", "AVRO", "PROTOBUF"] as const;
export type SchemaType = (typeof SCHEMA_TYPES)[number];
