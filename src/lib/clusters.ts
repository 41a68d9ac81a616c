// What a cluster connection may be, in Kafka's own words: shared by the server and the Settings form.
export const SECURITY_PROTOCOLS = ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] as const;
export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export const SASL_MECHANISMS = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** How Signalbox authenticates to an external schema registry: none, HTTP Basic, or a Bearer token. */
export const REGISTRY_AUTH_KINDS = ["none", "basic", "bearer"] as const;
export type RegistryAuthKind = (typeof REGISTRY_AUTH_KINDS)[number];

export const usesTls = (protocol: SecurityProtocol): boolean => protocol === "SSL" || protocol === "SASL_SSL";
export const usesSasl = (protocol: SecurityProtocol): boolean => protocol === "SASL_PLAINTEXT" || protocol === "SASL_SSL";

/** A cluster's name becomes part of URLs later (/c/<name>/), so it stays URL-safe. */
export const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Where a cluster's definition lives: configuration (file or environment, read-only in Settings) or Settings. */
export type ClusterSource = "configuration" | "settings";

/** What the console shows of a cluster to pick it: the switcher, the home page, the page header. */
export interface ClusterChoice {
  name: string;
  label: string | null;
  /** `#rrggbb`, or null for the console's neutral color. */
  color: string | null;
  isDefault: boolean;
}
