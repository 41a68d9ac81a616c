// Key rotation: re-seals every cluster secret (SASL password, TLS key and passphrase, registry password or token) that an older key sealed with SIGNALBOX_SECRET_KEY.
// Run by `npm run --silent secrets -- rotate` after the new key is set and the old one moved to
// SIGNALBOX_SECRET_KEYS_PREVIOUS (docs/clusters.md, "Rotating the key").
import type { Env } from "~/env";
import { listClustersWithSealedSecrets, replaceSealedSecrets, writeAudit, type Actor, type ClusterRow } from "~/server/catalog";
import { AppError } from "~/server/errors";
import { keyringOf } from "~/server/services/secrets/keyring";
import { open, seal, sealedKeyId } from "~/server/services/secrets/secret-box";

const FIELDS = [
  ["saslPasswordSealed", "saslPassword"],
  ["tlsKeySealed", "tlsKey"],
  ["tlsKeyPassphraseSealed", "tlsKeyPassphrase"],
  ["schemaRegistrySecretSealed", "schemaRegistrySecret"],
] as const;

export interface RotationOutcome {
  /** Secrets re-sealed under the current key. */
  resealed: number;
  /** Secrets already sealed under it. */
  current: number;
  /** Clusters an edit changed while this ran; run again. */
  skipped: string[];
}

export async function resealClusterSecrets(env: Env, actor: Actor): Promise<RotationOutcome> {
  const keyring = keyringOf(env);
  const current = keyring.current;
  if (!current) throw new AppError("BAD_REQUEST", "SIGNALBOX_SECRET_KEY is not set: there is no key to re-seal the secrets with.");
  const outcome: RotationOutcome = { resealed: 0, current: 0, skipped: [] };
  for (const row of await listClustersWithSealedSecrets()) {
    const before = { saslPasswordSealed: row.saslPasswordSealed, tlsKeySealed: row.tlsKeySealed, tlsKeyPassphraseSealed: row.tlsKeyPassphraseSealed, schemaRegistrySecretSealed: row.schemaRegistrySecretSealed };
    const after = { ...before };
    let changed = 0;
    for (const [column, field] of FIELDS) {
      const sealed = row[column as keyof ClusterRow] as string | null;
      if (sealed === null) continue;
      if (sealedKeyId(sealed) === current.id) {
        outcome.current++;
        continue;
      }
      const context = `Cluster.${row.id}.${field}`;
      after[column] = seal(open(sealed, keyring, context), keyring, context);
      changed++;
    }
    if (changed === 0) continue;
    if (await replaceSealedSecrets(row.id, before, after)) {
      outcome.resealed += changed;
      await writeAudit({ actor, action: "cluster.secrets.reseal", targetType: "cluster", targetId: row.name, details: { secrets: changed, keyId: current.id } });
    } else {
      outcome.skipped.push(row.name);
    }
  }
  return outcome;
}
