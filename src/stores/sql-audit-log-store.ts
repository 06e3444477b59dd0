import type { Database as SqliteDatabase } from "better-sqlite3";
import { type Kysely, type Selectable, sql } from "kysely";
import { auditGenesisHash, canonicalJson, chainAuditEntry } from "../core/audit-chain.js";
import type { AuditCheckpoint, AuditEntry, AuditRecord, JsonValue } from "../core/audit-record.js";
import type { AuditLogStore, AuditRange } from "../core/ports/audit-log-store.js";
import type { AuditLogTable, StorageDatabase, StorageDialect } from "./storage-database.js";

/** 13 columns × 500 rows stays far below both dialects' bound-parameter limits. */
const INSERT_CHUNK_ROWS = 500;
/** First key of the Postgres advisory lock pair ("SYAU"); the second is the schema, so schemas do not contend. */
const ADVISORY_LOCK_CLASS = 0x53_59_41_55;
const DEFAULT_READ_LIMIT = 1000;

/** `AuditLogStore` over the shared Kysely schema; identical for SQLite and Postgres but for appends. */
export class SqlAuditLogStore implements AuditLogStore {
  readonly #db: Kysely<StorageDatabase>;
  readonly #dialect: StorageDialect;
  readonly #sqlite: SqliteDatabase | undefined;
  /** In-process serialisation: appends of this handle wait for each other before taking the database lock. */
  #tail: Promise<unknown> = Promise.resolve();

  /** SQLite appends need the raw connection (`sqlite`): see `#appendSqlite`. */
  constructor(db: Kysely<StorageDatabase>, dialect: StorageDialect, sqlite?: SqliteDatabase) {
    this.#db = db;
    this.#dialect = dialect;
    this.#sqlite = sqlite;
  }

  append(entries: readonly AuditEntry[], nowMs: number): Promise<AuditRecord[]> {
    if (entries.length === 0) return Promise.resolve([]);
    const appended = this.#tail.then(() => {
      if (this.#dialect === "postgres") return this.#appendPostgres(entries, nowMs);
      if (this.#sqlite === undefined) throw new Error("audit log: SQLite appends need the raw connection");
      return this.#appendSqlite(this.#sqlite, entries, nowMs);
    });
    this.#tail = appended.catch(() => undefined);
    return appended;
  }

  /**
   * One synchronous `BEGIN IMMEDIATE` transaction: it takes the write lock before reading the latest record, so
   * another process waits (busy_timeout) and then chains after this batch. It must not yield to the event loop
   * while holding the lock: a second handle in the same thread would then block the thread waiting for it.
   */
  #appendSqlite(sqlite: SqliteDatabase, entries: readonly AuditEntry[], nowMs: number): AuditRecord[] {
    const latest = sqlite.prepare<[], { sequence: number; hash: string }>(
      "select sequence, hash from audit_log order by sequence desc limit 1",
    );
    const insert = sqlite.prepare(
      `insert into audit_log (${auditColumns.join(", ")}) values (${auditColumns.map(() => "?").join(", ")})`,
    );
    const appendAll = sqlite.transaction(() => {
      const records = chainAfter(latest.get(), entries, nowMs);
      for (const record of records) {
        const row = toRow(record);
        insert.run(...auditColumns.map((column) => row[column]));
      }
      return records;
    });
    return appendAll.immediate();
  }

  /** A transaction-scoped advisory lock makes read-latest-then-insert atomic across every client. */
  #appendPostgres(entries: readonly AuditEntry[], nowMs: number): Promise<AuditRecord[]> {
    return this.#db.transaction().execute(async (transaction) => {
      await sql`select pg_advisory_xact_lock(${ADVISORY_LOCK_CLASS}, hashtext(current_schema()))`.execute(
        transaction,
      );
      const last = await transaction
        .selectFrom("audit_log")
        .select(["sequence", "hash"])
        .orderBy("sequence", "desc")
        .limit(1)
        .executeTakeFirst();
      const records = chainAfter(last, entries, nowMs);
      for (let start = 0; start < records.length; start += INSERT_CHUNK_ROWS) {
        const chunk = records.slice(start, start + INSERT_CHUNK_ROWS);
        await transaction.insertInto("audit_log").values(chunk.map(toRow)).execute();
      }
      return records;
    });
  }

  async read(range: AuditRange): Promise<AuditRecord[]> {
    let query = this.#db.selectFrom("audit_log").selectAll();
    if (range.fromSequence !== undefined) query = query.where("sequence", ">=", range.fromSequence);
    if (range.toSequence !== undefined) query = query.where("sequence", "<=", range.toSequence);
    if (range.sinceMs !== undefined) query = query.where("occurred_at", ">=", range.sinceMs);
    if (range.untilMs !== undefined) query = query.where("occurred_at", "<", range.untilMs);
    const rows = await query
      .orderBy("sequence", "asc")
      .limit(range.limit ?? DEFAULT_READ_LIMIT)
      .execute();
    return rows.map(toRecord);
  }

  async latest(): Promise<AuditRecord | undefined> {
    const row = await this.#db
      .selectFrom("audit_log")
      .selectAll()
      .orderBy("sequence", "desc")
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? undefined : toRecord(row);
  }

  async addCheckpoint(checkpoint: AuditCheckpoint): Promise<boolean> {
    const inserted = await this.#db
      .insertInto("audit_checkpoints")
      .values({
        sequence: checkpoint.sequence,
        hash: checkpoint.hash,
        created_at: checkpoint.createdAt,
        key_id: checkpoint.keyId,
        signature: checkpoint.signature,
      })
      .onConflict((oc) => oc.column("sequence").doNothing())
      .returning("sequence")
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async checkpoints(range: Pick<AuditRange, "fromSequence" | "toSequence"> = {}): Promise<AuditCheckpoint[]> {
    let query = this.#db.selectFrom("audit_checkpoints").selectAll();
    if (range.fromSequence !== undefined) query = query.where("sequence", ">=", range.fromSequence);
    if (range.toSequence !== undefined) query = query.where("sequence", "<=", range.toSequence);
    const rows = await query.orderBy("sequence", "asc").execute();
    return rows.map((row) => ({
      sequence: row.sequence,
      hash: row.hash,
      createdAt: row.created_at,
      keyId: row.key_id,
      signature: row.signature,
    }));
  }

  async latestCheckpoint(): Promise<AuditCheckpoint | undefined> {
    const row = await this.#db
      .selectFrom("audit_checkpoints")
      .selectAll()
      .orderBy("sequence", "desc")
      .limit(1)
      .executeTakeFirst();
    return row === undefined
      ? undefined
      : {
          sequence: row.sequence,
          hash: row.hash,
          createdAt: row.created_at,
          keyId: row.key_id,
          signature: row.signature,
        };
  }
}

const auditColumns = [
  "sequence",
  "occurred_at",
  "actor_kind",
  "actor_id",
  "actor_display",
  "action",
  "target",
  "reason",
  "before_json",
  "after_json",
  "request_id",
  "prev_hash",
  "hash",
] as const satisfies readonly (keyof AuditLogTable)[];

function chainAfter(
  last: { readonly sequence: number; readonly hash: string } | undefined,
  entries: readonly AuditEntry[],
  nowMs: number,
): AuditRecord[] {
  let sequence = last?.sequence ?? 0;
  let prevHash = last?.hash ?? auditGenesisHash;
  return entries.map((entry) => {
    sequence += 1;
    const record = chainAuditEntry(entry, sequence, prevHash, nowMs);
    prevHash = record.hash;
    return record;
  });
}

function toRow(record: AuditRecord): AuditLogTable {
  return {
    sequence: record.sequence,
    occurred_at: record.occurredAt,
    actor_kind: record.actor.kind,
    actor_id: record.actor.id,
    actor_display: record.actor.display,
    action: record.action,
    target: record.target,
    reason: record.reason,
    before_json: canonicalJson(record.before),
    after_json: canonicalJson(record.after),
    request_id: record.requestId,
    prev_hash: record.prevHash,
    hash: record.hash,
  };
}

function toRecord(row: Selectable<AuditLogTable>): AuditRecord {
  return {
    sequence: row.sequence,
    occurredAt: row.occurred_at,
    actor: { kind: row.actor_kind, id: row.actor_id, display: row.actor_display },
    action: row.action,
    target: row.target,
    reason: row.reason,
    before: parseStored(row.before_json),
    after: parseStored(row.after_json),
    requestId: row.request_id,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Text that is no longer JSON can only come from tampering. It is returned as a string, which cannot hash like
 * the value it replaced, so verification reports the record as edited instead of the read failing.
 */
function parseStored(text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}
