/**
 * `npx tsx bench/audit-log.ts [sqlite|postgres]`: how fast the audit log appends (one record per call, and
 * batches through recordLater) and verifies, on a fresh database. Prints one JSON line of figures.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { AuditLog } from "../src/control/audit-log.js";
import { createAuditSigner } from "../src/control/audit-signer.js";
import { verifyAuditLog } from "../src/control/verify-audit-log.js";
import { openStorage } from "../src/stores/open-storage.js";
import { dropSchemas, postgresTestUrl, uniqueSchemaName } from "../test/support/postgres-test-database.js";

const dialect = process.argv[2] === "postgres" ? "postgres" : "sqlite";
const singles = 500;
const batched = 20_000;
const dir = mkdtempSync(path.join(tmpdir(), "switchyard-audit-bench-"));
const schema = uniqueSchemaName("switchyard_audit_bench");
const storage =
  dialect === "postgres"
    ? await openStorage(postgresTestUrl, { schema })
    : await openStorage(`sqlite:${path.join(dir, "bench.db")}`);
const { privateKey, publicKey } = generateKeyPairSync("ed25519");
const log = new AuditLog({
  store: storage.audit,
  signer: createAuditSigner(privateKey),
  checkpointEvery: 100,
  checkpointIntervalMs: 60_000,
});
const entry = (n: number) => ({
  actor: { kind: "system", id: "bench", display: "bench" },
  action: "policy.block",
  target: `request:${n}`,
  reason: "PII in prompt",
  after: { detections: [{ type: "EMAIL_ADDRESS", score: 0.98 }], n },
});

try {
  let started = performance.now();
  for (let n = 0; n < singles; n += 1) await log.record(entry(n));
  const recordMs = (performance.now() - started) / singles;

  started = performance.now();
  for (let n = 0; n < batched; n += 1) log.recordLater(entry(n));
  const enqueueUs = ((performance.now() - started) * 1000) / batched;
  await log.flush();
  const batchedPerSecond = batched / ((performance.now() - started) / 1000);

  await log.close();
  started = performance.now();
  const verification = await verifyAuditLog(storage.audit, publicKey);
  const verifyPerSecond = verification.records / ((performance.now() - started) / 1000);
  if (verification.problem !== undefined)
    throw new Error(`bench log does not verify: ${verification.problem.reason}`);

  console.log(
    JSON.stringify({
      dialect,
      recordMsEach: Number(recordMs.toFixed(2)),
      recordLaterEnqueueUsEach: Number(enqueueUs.toFixed(2)),
      batchedRecordsPerSecond: Math.round(batchedPerSecond),
      verifiedRecordsPerSecond: Math.round(verifyPerSecond),
      records: verification.records,
    }),
  );
} finally {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
  if (dialect === "postgres") await dropSchemas([schema]);
}
