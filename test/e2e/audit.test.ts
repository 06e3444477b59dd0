import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditRecordHash, chainAuditEntry } from "../../src/core/audit-chain.js";
import type { AuditRecord } from "../../src/core/audit-record.js";
import {
  openPostgresTamperDatabase,
  openSqliteTamperDatabase,
  type TamperDatabase,
} from "../support/audit-tamper-database.js";
import { assertBuilt, cleanEnvironment, runCli } from "../support/cli-process.js";
import {
  dropSchemas,
  postgresAvailability,
  postgresTestUrl,
  uniqueSchemaName,
} from "../support/postgres-test-database.js";

const { skip: skipPostgres, unreachable } = await postgresAvailability("the Postgres audit tests");
const workDir = mkdtempSync(path.join(tmpdir(), "switchyard-audit-"));
const schema = uniqueSchemaName("switchyard_audit");

afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  if (!skipPostgres && unreachable === undefined) await dropSchemas([schema]);
});

interface Backend {
  readonly name: string;
  readonly skip: boolean;
  /** CLI arguments selecting this backend's storage and data dir. */
  readonly args: () => string[];
  readonly open: () => Promise<TamperDatabase>;
}

function configFile(name: string, storage: string): string {
  const file = path.join(workDir, `${name}.yaml`);
  writeFileSync(
    file,
    `${storage}providers:\n  - name: sim\n    type: simulator\nmodels:\n  - name: "*"\n    targets:\n      - provider: sim\n`,
  );
  return file;
}

const backends: Backend[] = [
  {
    name: "SQLite",
    skip: false,
    args: () => ["--data-dir", path.join(workDir, "sqlite-data")],
    open: async () => openSqliteTamperDatabase(path.join(workDir, "sqlite-data", "switchyard.db")),
  },
  {
    name: "Postgres",
    skip: skipPostgres,
    args: () => [
      "--config",
      configFile("postgres", `storage:\n  url: ${postgresTestUrl}\n  schema: ${schema}\n`),
      "--data-dir",
      path.join(workDir, "postgres-data"),
    ],
    open: () => openPostgresTamperDatabase(postgresTestUrl, schema),
  },
];

for (const backend of backends) {
  describe.skipIf(backend.skip)(`switchyard audit on ${backend.name}`, { timeout: 90_000 }, () => {
    let database: TamperDatabase;
    const cli = (...args: string[]) => runCli([...args, ...backend.args()], cleanEnvironment(), workDir);
    const verify = (...args: string[]) => cli("audit", "verify", ...args);
    const records = async (): Promise<AuditRecord[]> => {
      const tail = await cli("audit", "tail", "--no-follow", "--json", "-n", "100");
      return tail.stdout
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as AuditRecord);
    };

    beforeAll(async () => {
      if (backend.name === "Postgres" && unreachable !== undefined) {
        throw new Error(`Postgres is unreachable (${unreachable}) and CI is set`);
      }
      assertBuilt();
      const ids = new Map<string, string>();
      for (const name of ["alpha", "beta", "gamma"]) {
        const created = await cli("keys", "create", "--name", name, "--json");
        expect(created.code).toBe(0);
        ids.set(name, (JSON.parse(created.stdout) as { id: string }).id);
      }
      expect((await cli("keys", "revoke", ids.get("beta") ?? "")).code).toBe(0);
      database = await backend.open();
      await database.snapshot();
      // Every step spawns the CLI, as users run it; on a loaded 2-core machine each start takes seconds.
    }, 180_000);
    afterAll(async () => {
      await database?.close();
    });

    const tampered = async (tamper: () => Promise<void>) => {
      await database.restore();
      await tamper();
      return verify();
    };

    it("records key changes by the CLI user, never a secret, and verifies them as intact", async () => {
      const log = await records();
      expect(log.map((record) => [record.sequence, record.action])).toEqual([
        [1, "key.create"],
        [2, "key.create"],
        [3, "key.create"],
        [4, "key.revoke"],
      ]);
      expect(log[0]?.actor.kind).toBe("cli-user");
      expect(log[3]?.before).toMatchObject({ name: "beta", revokedAt: null });
      expect(log[3]?.after).toMatchObject({ name: "beta", revokedAt: expect.any(Number) });
      expect(JSON.stringify(log)).not.toMatch(/sy-[A-Za-z0-9_-]{20,}/);
      const result = await verify();
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Audit log intact: 4 records (1..4), 4 signed checkpoints.");
    });

    it("names an edited record", async () => {
      const result = await tampered(() =>
        database.run("update audit_log set reason = 'routine' where sequence = 2"),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("TAMPERED: record 2 (edited)");
    });

    it("names a deleted record", async () => {
      const result = await tampered(() => database.run("delete from audit_log where sequence = 2"));
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("TAMPERED: record 2 (deleted): record 2 is missing");
    });

    it("names an inserted record, even one with a correctly computed hash", async () => {
      const result = await tampered(async () => {
        const [second] = (await records()).filter((record) => record.sequence === 2);
        const forged = chainAuditEntry(
          {
            actor: { kind: "cli-user", id: "mallory", display: "mallory" },
            action: "key.create",
            target: "key:x",
          },
          3,
          second?.hash ?? "",
          Date.now(),
        );
        await database.run("update audit_log set sequence = sequence + 1000 where sequence >= 3");
        await database.run("update audit_log set sequence = sequence - 999 where sequence >= 1003");
        await database.run(
          "insert into audit_log (sequence, occurred_at, actor_kind, actor_id, actor_display, action, target, reason, before_json, after_json, request_id, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, null, 'null', 'null', null, ?, ?)",
          [
            3,
            forged.occurredAt,
            "cli-user",
            "mallory",
            "mallory",
            "key.create",
            "key:x",
            forged.prevHash,
            forged.hash,
          ],
        );
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("TAMPERED: record 3 (inserted)");
    });

    it("names the first of two swapped records", async () => {
      const result = await tampered(async () => {
        await database.run("update audit_log set sequence = 1002 where sequence = 2");
        await database.run("update audit_log set sequence = 2 where sequence = 3");
        await database.run("update audit_log set sequence = 3 where sequence = 1002");
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("TAMPERED: record 2 (reordered)");
    });

    it("names a forged checkpoint", async () => {
      const forgedSignature = Buffer.alloc(64, 7).toString("base64");
      const result = await tampered(() =>
        database.run("update audit_checkpoints set signature = ? where sequence = 3", [forgedSignature]),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("TAMPERED: record 3 (checkpoint-forged)");
    });

    it("catches an edit hidden by recomputing every later hash, through the signed checkpoints", async () => {
      const result = await tampered(async () => {
        let prevHash: string | undefined;
        for (const record of await records()) {
          if (record.sequence < 2) continue;
          const edited = { ...record, reason: record.sequence === 2 ? "routine" : record.reason };
          const body = { ...edited, prevHash: prevHash ?? record.prevHash };
          const hash = auditRecordHash(body);
          await database.run("update audit_log set reason = ?, prev_hash = ?, hash = ? where sequence = ?", [
            body.reason,
            body.prevHash,
            hash,
            record.sequence,
          ]);
          prevHash = hash;
        }
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("TAMPERED: record 2 (rewritten)");
    });

    it("catches records cut from the end", async () => {
      const result = await tampered(() => database.run("delete from audit_log where sequence = 4"));
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("TAMPERED: record 4 (truncated)");
    });

    it("verifies with only the public key, and rejects checkpoints under another key", async () => {
      await database.restore();
      const publicKeyFile = path.join(workDir, `${backend.name}-public.pem`);
      const exported = await cli("audit", "public-key");
      expect(exported.stdout).toContain("BEGIN PUBLIC KEY");
      writeFileSync(publicKeyFile, exported.stdout);
      expect((await verify("--public-key", publicKeyFile)).code).toBe(0);

      const otherFile = path.join(workDir, `${backend.name}-other.pem`);
      writeFileSync(
        otherFile,
        generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }),
      );
      const other = await verify("--public-key", otherFile);
      expect(other.code).toBe(1);
      expect(other.stdout).toContain("TAMPERED: record 1 (checkpoint-forged)");
    });

    it("exports JSONL evidence whose records re-hash to their stored hashes", async () => {
      await database.restore();
      const output = path.join(workDir, `${backend.name}-export.jsonl`);
      const log = await records();
      const from = new Date(log[1]?.occurredAt ?? 0).toISOString();
      const to = new Date((log[3]?.occurredAt ?? 0) + 1).toISOString();
      const result = await cli("audit", "export", "--from", from, "--to", to, "--output", output);
      expect(result.code).toBe(0);
      const lines = readFileSync(output, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { type: string; sequence?: number });
      expect(lines[0]?.type).toBe("audit-export");
      const exportedRecords = lines.filter((line) => line.type === "record") as unknown as (AuditRecord & {
        type: string;
      })[];
      expect(exportedRecords.map((record) => record.sequence)).toEqual([2, 3, 4]);
      for (const { type: _type, ...record } of exportedRecords)
        expect(auditRecordHash(record)).toBe(record.hash);
      expect(lines.filter((line) => line.type === "checkpoint").map((line) => line.sequence)).toEqual([
        2, 3, 4,
      ]);
    });
  });
}
