import type { Storage } from "../../src/core/ports/storage.js";
import { openStorage } from "../../src/stores/open-storage.js";

/** A fresh, migrated in-memory SQLite storage: real stores for unit tests of control-plane services. */
export function openMemoryStorage(): Promise<Storage> {
  return openStorage("sqlite::memory:");
}
