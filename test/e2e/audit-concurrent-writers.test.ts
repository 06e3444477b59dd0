import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { auditGenesisHash, auditRecordHash } from "../../src/core/audit-chain.js";
import { openStorage } from "../../src/stores/open-storage.js";
import {
  dropSchemas,
  postgresAvailability,
  postgresTestUrl,
  uniqueSchemaName,
} from "../support/postgres-test-database.js";

const writerScript = fileURLToPath(new URL("../support/append-audit-records.ts", import.meta.url));
const { skip: skipPostgres, unreachable } = await postgresAvailability("the Postgres audit writers test");
const workDir = mkdtempSync(path.join(tmpdir(), "switchyard-audit-writers-"));
const schema = uniqueSchemaName("switchyard_audit_writers");
const writers = ["a", "b", "c"];
const perWriter = 150;

afterAll(async () => {
  rmSync(workDir, { recursive: true, force: true });
  if (!skipPostgres && unreachable === undefined) await dropSchemas([schema]);
});

function runWriter(url: string, schemaName: string, tag: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", writerScript, url, schemaName, tag, String(perWriter)],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    child.on("error", reject);
    child.on("close", resolve);
  });
}

const targets = [
  { name: "SQLite", skip: false, url: () => `sqlite:${path.join(workDir, "writers.db")}`, schema: "-" },
  { name: "Postgres", skip: skipPostgres, url: () => postgresTestUrl, schema },
];

for (const target of targets) {
  describe.skipIf(target.skip)(
    `audit appends from several processes on ${target.name}`,
    { timeout: 120_000 },
    () => {
      it("keep one unbroken chain", async () => {
        if (target.name === "Postgres" && unreachable !== undefined) {
          throw new Error(`Postgres is unreachable (${unreachable}) and CI is set`);
        }
        const options = target.schema === "-" ? {} : { schema: target.schema };
        // Migrate once first, so the writers contend on appends rather than on creating the schema.
        await (await openStorage(target.url(), options)).close();
        const codes = await Promise.all(writers.map((tag) => runWriter(target.url(), target.schema, tag)));
        expect(codes).toEqual([0, 0, 0]);

        const storage = await openStorage(target.url(), options);
        try {
          const records = await storage.audit.read({ limit: 10_000 });
          expect(records).toHaveLength(writers.length * perWriter);
          let prevHash = auditGenesisHash;
          records.forEach((record, index) => {
            expect(record.sequence).toBe(index + 1);
            expect(record.prevHash).toBe(prevHash);
            expect(auditRecordHash(record)).toBe(record.hash);
            prevHash = record.hash;
          });
          for (const tag of writers) {
            const own = records.filter((record) => record.actor.id === tag).map((record) => record.target);
            expect(own).toEqual(Array.from({ length: perWriter }, (_, n) => `${tag}:${n}`));
          }
        } finally {
          await storage.close();
        }
      });
    },
  );
}
