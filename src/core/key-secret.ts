import { hash, randomBytes } from "node:crypto";

/** Virtual keys and the master key look like `sy-<43 base64url chars>` (256 random bits). */
export const keySecretPrefix = "sy-";
const displayPrefixLength = 12;

export function generateKeySecret(): string {
  return `${keySecretPrefix}${randomBytes(32).toString("base64url")}`;
}

/** Stored in place of the secret. SHA-256 suffices: the secret has 256 bits of entropy, so no stretching. */
export function hashKeySecret(secret: string): string {
  return hash("sha256", secret, "hex");
}

/** The part of a secret that is safe to store and show, e.g. `sy-Ab3dE5gH9`. */
export function displayPrefixOf(secret: string): string {
  return secret.slice(0, displayPrefixLength);
}
