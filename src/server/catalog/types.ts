// Catalog shapes shared with the rest of the server (and, where marked public, the browser).
export const ROLES = ["viewer", "operator", "architect", "support", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  email: string;
  name: string;
  role: Role;
}

/** A cluster as the browser may see it: the SASL password is reduced to whether one is set. */
export interface PublicCluster {
  id: string;
  name: string;
  bootstrapServers: string[];
  ssl: boolean;
  saslMechanism: string | null;
  saslUsername: string | null;
  hasSaslPassword: boolean;
  isDefault: boolean;
  updatedAt: Date;
}

export interface AuditEntry {
  id: string;
  at: Date;
  actorEmail: string;
  actorRole: Role;
  action: string;
  targetType: string;
  targetId: string;
  details: unknown;
}

/** Confluent Schema Registry's compatibility levels (same names, same meanings). */
export const COMPATIBILITY_MODES = ["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"] as const;
export type CompatibilityMode = (typeof COMPATIBILITY_MODES)[number];
