import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, type MigrationProvider, Migrator } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { storageMigrations } from "./migrate-storage.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";
import { openStorage } from "./open-storage.js";

const dir = mkdtempSync(join(tmpdir(), "switchyard-migrate-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("0005_tenancy_teams_projects_keys on a database with keys", () => {
  it("keeps existing keys working: no team, no role, every endpoint, never expiring, metadata kept", async () => {
    const path = join(dir, "old.db");
    const { db } = openSqliteDatabase(path);
    const before: MigrationProvider = {
      getMigrations: async () =>
        Object.fromEntries(Object.entries(storageMigrations("sqlite")).filter(([name]) => name < "0005")),
    };
    const { error } = await new Migrator({ db: db as Kysely<unknown>, provider: before }).migrateToLatest();
    expect(error).toBeUndefined();
    await (db as Kysely<unknown> as Kysely<Record<string, Record<string, unknown>>>)
      .insertInto("virtual_keys")
      .values({
        id: "old_key",
        name: "from 0004",
        key_hash: "h".repeat(64),
        display_prefix: "sy-old",
        allowed_models: '["gpt-4o"]',
        metadata: '{"team":"search"}',
        created_at: 1_700_000_000_000,
        updated_at: 1_700_000_000_000,
        revoked_at: null,
      })
      .execute();
    await db.destroy();

    const storage = await openStorage(`sqlite:${path}`);
    try {
      expect(await storage.keys.get("old_key")).toEqual({
        id: "old_key",
        name: "from 0004",
        keyHash: "h".repeat(64),
        displayPrefix: "sy-old",
        allowedModels: ["gpt-4o"],
        allowedEndpoints: [],
        metadata: { team: "search" },
        teamId: null,
        projectId: null,
        userId: null,
        role: null,
        expiresAt: null,
        previousKeyHash: null,
        previousKeyExpiresAt: null,
        createdAt: 1_700_000_000_000,
        updatedAt: 1_700_000_000_000,
        revokedAt: null,
      });
      expect(await storage.tenancy.listTeams()).toEqual([]);
    } finally {
      await storage.close();
    }
  });
});
