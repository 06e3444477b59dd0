import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * The Ed25519 key that signs audit checkpoints, as a PKCS#8 PEM file readable by its owner only. A public key
 * PEM is written beside it (`<file>.pub`) for whoever verifies.
 */
export function loadAuditSigningKey(file: string): KeyObject | undefined {
  let pem: string;
  try {
    pem = readFileSync(file, "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  // Like ssh: a signing key others can read signs nothing anyone should trust.
  if ((statSync(file).mode & 0o077) !== 0) {
    throw new Error(`${file}: the audit signing key is readable by others; run chmod 600 ${file}`);
  }
  return parseAuditSigningKey(pem, file);
}

/** Loads the key, or generates and writes it (exclusive create, mode 0600) when the file does not exist. */
export function loadOrCreateAuditSigningKey(file: string): KeyObject {
  const existing = loadAuditSigningKey(file);
  if (existing !== undefined) return existing;
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process created it first: use theirs, so both sign with one key.
    if (isAlreadyThere(error)) return loadExisting(file);
    throw error;
  }
  writeFileSync(`${file}.pub`, publicKey.export({ type: "spki", format: "pem" }), { mode: 0o644 });
  return privateKey;
}

export function parseAuditSigningKey(pem: string, source: string): KeyObject {
  const key = createPrivateKey(pem);
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(
      `${source}: the audit signing key must be Ed25519, not ${key.asymmetricKeyType ?? "unknown"}`,
    );
  }
  return key;
}

/** A public key PEM file, or the public half of a private key PEM file. */
export function loadAuditPublicKey(file: string): KeyObject {
  const key = createPublicKey(readFileSync(file, "utf8"));
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`${file}: expected an Ed25519 public key, not ${key.asymmetricKeyType ?? "unknown"}`);
  }
  return key;
}

function loadExisting(file: string): KeyObject {
  const key = loadAuditSigningKey(file);
  if (key === undefined) throw new Error(`${file}: the audit signing key vanished while being created`);
  return key;
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}

function isAlreadyThere(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "EEXIST";
}
