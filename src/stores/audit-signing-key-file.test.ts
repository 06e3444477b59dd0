import { generateKeyPairSync, sign, verify } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  loadAuditPublicKey,
  loadAuditSigningKey,
  loadOrCreateAuditSigningKey,
} from "./audit-signing-key-file.js";

const dir = mkdtempSync(join(tmpdir(), "switchyard-audit-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("audit signing key file", () => {
  it("generates an owner-only Ed25519 key once, with its public key beside it, and reuses it", () => {
    const file = join(dir, "nested", "audit-signing-key.pem");
    expect(loadAuditSigningKey(file)).toBeUndefined();
    const created = loadOrCreateAuditSigningKey(file);
    expect(created.asymmetricKeyType).toBe("ed25519");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateAuditSigningKey(file);
    expect(again.export({ type: "pkcs8", format: "pem" })).toBe(readFileSync(file, "utf8"));
    const publicKey = loadAuditPublicKey(`${file}.pub`);
    const message = Buffer.from("checkpoint");
    expect(verify(null, message, publicKey, sign(null, message, created))).toBe(true);
    expect(loadAuditPublicKey(file).equals(publicKey)).toBe(true);
  });

  it("refuses a key file others can read", () => {
    const file = join(dir, "open.pem");
    loadOrCreateAuditSigningKey(file);
    chmodSync(file, 0o644);
    expect(() => loadAuditSigningKey(file)).toThrow(/chmod 600/);
  });

  it("refuses a key that is not Ed25519", () => {
    const file = join(dir, "x25519.pem");
    const { privateKey } = generateKeyPairSync("x25519");
    writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    expect(() => loadAuditSigningKey(file)).toThrow(/must be Ed25519, not x25519/);
  });
});
