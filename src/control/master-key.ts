import { generateKeySecret, hashKeySecret } from "../core/key-secret.js";
import type { SettingsStore } from "../core/ports/settings-store.js";

const settingName = "master_key_hash";

export interface MasterKey {
  readonly hash: string;
  /** Set only when this call generated the key: print it once, it is not kept anywhere. */
  readonly generatedSecret: string | undefined;
}

/**
 * A configured master key (`SWITCHYARD_MASTER_KEY`) always wins. Without one, the first start generates a key
 * and stores only its hash; later starts reuse that hash.
 */
export async function ensureMasterKey(
  settings: SettingsStore,
  configured: string | undefined,
): Promise<MasterKey> {
  if (configured !== undefined) return { hash: hashKeySecret(configured), generatedSecret: undefined };
  const stored = await settings.get(settingName);
  if (stored !== undefined) return { hash: stored, generatedSecret: undefined };
  const secret = generateKeySecret();
  const hash = hashKeySecret(secret);
  if (await settings.setIfAbsent(settingName, hash)) return { hash, generatedSecret: secret };
  const winner = await settings.get(settingName);
  if (winner === undefined) throw new Error("master key hash vanished while being written");
  return { hash: winner, generatedSecret: undefined };
}
