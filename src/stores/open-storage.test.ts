import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStorage } from "./open-storage.js";

const dir = mkdtempSync(join(tmpdir(), "switchyard-open-"));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("openStorage", () => {
  it.each(["", "mysql://root@localhost/db", "file:./x.db", "SQLITE:./x.db", "redis://127.0.0.1:6379"])(
    "rejects the unsupported URL %j with a message naming the accepted forms",
    async (url) => {
      await expect(openStorage(url)).rejects.toThrow(/unsupported storage URL.*sqlite:<path>.*postgres:\/\//);
    },
  );

  it("never echoes a password from a rejected URL", async () => {
    await expect(openStorage("mysql://admin:hunter2@db/x")).rejects.toThrow(/admin:\*\*\*@db/);
    await expect(openStorage("mysql://admin:hunter2@db/x")).rejects.not.toThrow(/hunter2/);
  });

  it("rejects sqlite: without a path, and a schema for SQLite", async () => {
    await expect(openStorage("sqlite:")).rejects.toThrow(/needs a path/);
    await expect(openStorage("sqlite::memory:", { schema: "s" })).rejects.toThrow(/Postgres only/);
  });

  it("creates missing parent directories and the database file, in WAL mode", async () => {
    const path = join(dir, "a", "b", "switchyard.db");
    const storage = await openStorage(`sqlite:${path}`);
    try {
      expect(existsSync(path)).toBe(true);
      await storage.settings.set("x", "y");
      expect(existsSync(`${path}-wal`)).toBe(true);
    } finally {
      await storage.close();
    }
  });
});
