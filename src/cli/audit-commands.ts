import { createPublicKey } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { verifyAuditLog } from "../control/verify-audit-log.js";
import { auditGenesisHash } from "../core/audit-chain.js";
import type { AuditRecord } from "../core/audit-record.js";
import type { AuditLogStore } from "../core/ports/audit-log-store.js";
import type { Storage } from "../core/ports/storage.js";
import { configuredAuditPublicKey, openConfiguredStorage } from "../main.js";
import { loadOrCreateAuditSigningKey, parseAuditSigningKey } from "../stores/audit-signing-key-file.js";
import { type ConfigSourceOptions, loadCliConfig, printLine } from "./cli-context.js";

export interface AuditVerifyOptions extends ConfigSourceOptions {
  readonly publicKey?: string;
  readonly json?: boolean;
}

export interface AuditExportOptions extends ConfigSourceOptions {
  readonly from: string;
  readonly to?: string;
  readonly output?: string;
}

export interface AuditTailOptions extends ConfigSourceOptions {
  readonly lines?: string;
  readonly follow?: boolean;
  readonly intervalMs?: string;
  readonly json?: boolean;
}

const PAGE_SIZE = 1000;

async function withStorage<T>(
  options: ConfigSourceOptions,
  work: (storage: Storage) => Promise<T>,
): Promise<T> {
  const storage = await openConfiguredStorage(await loadCliConfig(options));
  try {
    return await work(storage);
  } finally {
    await storage.close();
  }
}

/** `switchyard audit verify`: exit 0 with a summary when intact, exit 1 naming the first bad record. */
export async function auditVerifyCommand(options: AuditVerifyOptions): Promise<void> {
  const config = await loadCliConfig(options);
  const publicKey = configuredAuditPublicKey(config, options.publicKey);
  if (publicKey === undefined) {
    throw new Error(
      `no audit signing key at ${config.audit.signingKeyFile}: pass --public-key FILE (from \`switchyard audit public-key\`)`,
    );
  }
  const verification = await withStorage(options, (storage) => verifyAuditLog(storage.audit, publicKey));
  if (verification.problem !== undefined) process.exitCode = 1;
  if (options.json === true) {
    printLine(JSON.stringify({ ok: verification.problem === undefined, ...verification }));
    return;
  }
  const { problem, records, lastSequence, checkpoints, lastCheckpointSequence, keyId } = verification;
  if (problem !== undefined) {
    printLine(`TAMPERED: record ${problem.sequence} (${problem.kind}): ${problem.reason}`);
    printLine(`  checked ${records} records before it; signing key ${keyId}`);
    return;
  }
  printLine(`Audit log intact: ${records} records (1..${lastSequence}), ${checkpoints} signed checkpoints.`);
  printLine(`  last checkpoint covers record ${lastCheckpointSequence}; signing key ${keyId}`);
  if (lastSequence > lastCheckpointSequence) {
    printLine(
      `  records ${lastCheckpointSequence + 1}..${lastSequence} are not yet checkpointed: the chain alone protects them`,
    );
  }
}

/**
 * `switchyard audit export`: JSONL evidence. A header line, the records with `occurredAt` in [from, to), and
 * the checkpoints that sign them (those within the range and the first one after it).
 */
export async function auditExportCommand(options: AuditExportOptions): Promise<void> {
  const fromMs = parseIsoTime(options.from, "--from");
  const toMs = options.to === undefined ? Date.now() : parseIsoTime(options.to, "--to");
  if (toMs <= fromMs) throw new Error("--to must be later than --from");
  await withStorage(options, async ({ audit }) => {
    const out =
      options.output === undefined ? process.stdout : createWriteStream(options.output, { flags: "wx" });
    // Rejects when the file exists or cannot be created, before anything is written.
    if (out !== process.stdout) await once(out, "open");
    const write = (value: unknown) => out.write(`${JSON.stringify(value)}\n`);
    write({
      type: "audit-export",
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      exportedAt: new Date().toISOString(),
      genesisHash: auditGenesisHash,
      hash: "sha256(prevHash + RFC 8785 JSON of the record without type and hash)",
    });
    let first: number | undefined;
    let last: number | undefined;
    for await (const record of readRange(audit, { sinceMs: fromMs, untilMs: toMs })) {
      first ??= record.sequence;
      last = record.sequence;
      write({ type: "record", ...record });
    }
    if (first !== undefined && last !== undefined) {
      const covering = await audit.checkpoints({ fromSequence: first });
      const inRange = covering.filter((checkpoint) => checkpoint.sequence <= last);
      const after = covering.find((checkpoint) => checkpoint.sequence > last);
      for (const checkpoint of after === undefined ? inRange : [...inRange, after]) {
        write({ type: "checkpoint", ...checkpoint });
      }
    }
    if (out !== process.stdout) {
      await new Promise<void>((resolve, reject) => {
        out.once("error", reject);
        out.end(resolve);
      });
    }
  });
}

/** `switchyard audit tail`: the last records, then (with --follow, the default) new ones as they are appended. */
export async function auditTailCommand(options: AuditTailOptions): Promise<void> {
  const lines = positiveInteger(options.lines ?? "20", "--lines");
  const interval = positiveInteger(options.intervalMs ?? "1000", "--interval-ms");
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  process.once("SIGTERM", () => stop.abort());
  await withStorage(options, async ({ audit }) => {
    const latest = (await audit.latest())?.sequence ?? 0;
    let after = Math.max(0, latest - lines);
    for (;;) {
      for await (const record of readRange(audit, { fromSequence: after + 1 })) {
        printLine(options.json === true ? JSON.stringify(record) : formatAuditRecord(record));
        after = record.sequence;
      }
      if (options.follow === false || stop.signal.aborted) return;
      await delay(interval, undefined, { signal: stop.signal }).catch(() => undefined);
      if (stop.signal.aborted) return;
    }
  });
}

/** `switchyard audit public-key`: the PEM public key verifiers need; creates the signing key when missing. */
export async function auditPublicKeyCommand(options: ConfigSourceOptions): Promise<void> {
  const config = await loadCliConfig(options);
  const privateKey =
    config.audit.signingKey === undefined
      ? loadOrCreateAuditSigningKey(config.audit.signingKeyFile)
      : parseAuditSigningKey(config.audit.signingKey, "SWITCHYARD_AUDIT_SIGNING_KEY");
  process.stdout.write(createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString());
}

function formatAuditRecord(record: AuditRecord): string {
  return [
    `#${record.sequence}`.padEnd(7),
    new Date(record.occurredAt).toISOString().padEnd(25),
    record.actor.display.slice(0, 24).padEnd(24),
    record.action.padEnd(14),
    record.target,
    record.reason === null ? "" : `(${record.reason})`,
  ].join(" ");
}

async function* readRange(
  store: AuditLogStore,
  range: { fromSequence?: number; sinceMs?: number; untilMs?: number },
): AsyncGenerator<AuditRecord> {
  let fromSequence = range.fromSequence ?? 1;
  for (;;) {
    const page = await store.read({ ...range, fromSequence, limit: PAGE_SIZE });
    yield* page;
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE_SIZE) return;
    fromSequence = last.sequence + 1;
  }
}

function parseIsoTime(value: string, flag: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms))
    throw new Error(`${flag}: not a date (ISO 8601, e.g. 2026-01-31T00:00:00Z): ${value}`);
  return ms;
}

function positiveInteger(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new Error(`${flag}: expected a positive whole number, got ${value}`);
  return parsed;
}
