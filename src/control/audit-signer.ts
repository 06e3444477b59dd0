import { createPublicKey, hash, type KeyObject, sign, verify } from "node:crypto";
import { auditCheckpointPayload } from "../core/audit-chain.js";
import type { AuditCheckpoint } from "../core/audit-record.js";

/** Signs checkpoints with an Ed25519 private key. */
export interface AuditSigner {
  readonly keyId: string;
  readonly publicKey: KeyObject;
  sign(checkpoint: Omit<AuditCheckpoint, "signature" | "keyId">): AuditCheckpoint;
}

/** First 16 hex characters of the SHA-256 of the public key's SPKI DER: names the key in every checkpoint. */
export function auditKeyId(publicKey: KeyObject): string {
  return hash("sha256", publicKey.export({ type: "spki", format: "der" }), "hex").slice(0, 16);
}

export function createAuditSigner(privateKey: KeyObject): AuditSigner {
  if (privateKey.type !== "private" || privateKey.asymmetricKeyType !== "ed25519") {
    throw new Error("the audit signing key must be an Ed25519 private key");
  }
  const publicKey = createPublicKey(privateKey);
  const keyId = auditKeyId(publicKey);
  return {
    keyId,
    publicKey,
    sign(unsigned) {
      const body = { ...unsigned, keyId };
      // Ed25519 takes no digest algorithm: node:crypto wants null.
      return { ...body, signature: sign(null, auditCheckpointPayload(body), privateKey).toString("base64") };
    },
  };
}

/** Whether `publicKey` signed exactly this checkpoint. */
export function checkpointSignatureValid(checkpoint: AuditCheckpoint, publicKey: KeyObject): boolean {
  if (checkpoint.keyId !== auditKeyId(publicKey)) return false;
  const signature = Buffer.from(checkpoint.signature, "base64");
  try {
    return verify(null, auditCheckpointPayload(checkpoint), publicKey, signature);
  } catch {
    return false;
  }
}
