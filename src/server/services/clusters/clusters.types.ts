// The requests of Settings' clusters card. Secrets are write-only: a blank one keeps what is stored.
import { z } from "zod";
import { REGISTRY_AUTH_KINDS } from "~/lib/clusters";
import { bootstrapServersSchema, clusterNameSchema, colorSchema, connectNameSchema, connectUrlSchema, labelSchema, saslMechanismSchema, schemaRegistryUrlSchema, securityProtocolSchema } from "./definition";

const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((v) => (v && v.trim() ? v : null));

const pem = optionalText(200_000);

export const clusterInput = z.object({
  name: clusterNameSchema,
  bootstrapServers: bootstrapServersSchema,
  securityProtocol: securityProtocolSchema,
  saslMechanism: saslMechanismSchema.nullish(),
  saslUsername: optionalText(256).transform((v) => v?.trim() || null),
  /** Write-only. Blank: keep the stored one (on edit). */
  saslPassword: optionalText(1000),
  /** PEM. Blank: keep the stored one (on edit); list it in `remove` to drop it. */
  tlsCa: pem,
  tlsCert: pem,
  /** Write-only PEM private key, and its passphrase if it is encrypted. */
  tlsKey: pem,
  tlsKeyPassphrase: optionalText(1000),
  tlsVerifyHostname: z.boolean().default(true),
  label: labelSchema.nullish().or(z.literal("").transform(() => null)),
  color: colorSchema.nullish().or(z.literal("").transform(() => null)),
  /** Blank: Signalbox's own schema registry. */
  schemaRegistryUrl: schemaRegistryUrlSchema.nullish().or(z.literal("").transform(() => null)),
  /** How Signalbox authenticates to that registry: none, HTTP Basic (username and password) or a Bearer token. */
  schemaRegistryAuth: z.enum(REGISTRY_AUTH_KINDS).default("none"),
  schemaRegistryUsername: optionalText(256).transform((v) => v?.trim() || null),
  /** Write-only, for Basic. Blank: keep the stored one (on edit, same URL). */
  schemaRegistryPassword: optionalText(1000),
  /** Write-only, for Bearer. Blank: keep the stored one (on edit, same URL). */
  schemaRegistryToken: optionalText(4000),
  /** PEM CA bundle of an https registry. Blank: keep the stored one; list it in `remove` to drop it. */
  schemaRegistryCa: pem,
  /** Kafka Connect clusters by name and REST URL (HTTP Basic credentials: configuration only). */
  connect: z.array(z.object({ name: connectNameSchema, url: connectUrlSchema })).max(20).default([]),
  /** Stored material to drop: the CA bundle, the client certificate with its key, the registry's CA bundle. */
  remove: z.array(z.enum(["tlsCa", "tlsClientCertificate", "schemaRegistryCa"])).max(3).default([]),
});

/** A request as the router parsed it (defaults filled in): what the services take. */
export type ClusterRequest = z.output<typeof clusterInput>;

export const clusterId = z.string().trim().min(1).max(100);

export const updateClusterInput = z.object({ id: clusterId, cluster: clusterInput });
export type UpdateClusterRequest = z.output<typeof updateClusterInput>;

/** Test a saved cluster as stored (`id` alone), or the form's values (`cluster`; blank secrets from `id`). */
export const testClusterInput = z.object({ id: clusterId.optional(), cluster: clusterInput.optional() }).refine((v) => v.id || v.cluster, { error: "Give the cluster's id, its settings, or both." });
export type TestClusterRequest = z.output<typeof testClusterInput>;
