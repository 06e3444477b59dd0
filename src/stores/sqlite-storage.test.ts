import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { openStorage } from "./open-storage.js";
import { describeStorageContract } from "./storage-contract.js";

const dir = mkdtempSync(join(tmpdir(), "switchyard-sqlite-"));
let files = 0;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeStorageContract("sqlite file", {
  dialect: "sqlite",
  durable: true,
  newLocation: () => {
    // A nested path also checks that openStorage creates missing parent directories.
    const path = join(dir, `run-${files++}`, "nested", "switchyard.db");
    return () => openStorage(`sqlite:${path}`);
  },
});

describeStorageContract("sqlite :memory:", {
  dialect: "sqlite",
  durable: false,
  newLocation: () => () => openStorage("sqlite::memory:"),
});
