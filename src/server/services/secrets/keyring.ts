// The keyring of this process, from SIGNALBOX_SECRET_KEY and SIGNALBOX_SECRET_KEYS_PREVIOUS (both
// already checked by src/env.ts).
import type { Env } from "~/env";
import { parseSecretKey, type Keyring } from "./secret-box";

const cache = new WeakMap<Env, Keyring>();

export function keyringOf(env: Pick<Env, "SIGNALBOX_SECRET_KEY" | "SIGNALBOX_SECRET_KEYS_PREVIOUS">): Keyring {
  const cached = cache.get(env as Env);
  if (cached) return cached;
  const keyring: Keyring = {
    current: env.SIGNALBOX_SECRET_KEY ? parseSecretKey(env.SIGNALBOX_SECRET_KEY) : null,
    previous: (env.SIGNALBOX_SECRET_KEYS_PREVIOUS ?? []).map(parseSecretKey),
  };
  cache.set(env as Env, keyring);
  return keyring;
}
