import { describe, expect, it } from "vitest";
import { hashKeySecret } from "../core/key-secret.js";
import type { SettingsStore } from "../core/ports/settings-store.js";
import { ensureMasterKey } from "./master-key.js";

function memorySettings(): SettingsStore & { values: Map<string, string> } {
  const values = new Map<string, string>();
  return {
    values,
    get: async (name) => values.get(name),
    set: async (name, value) => {
      values.set(name, value);
    },
    setIfAbsent: async (name, value) => {
      if (values.has(name)) return false;
      values.set(name, value);
      return true;
    },
  };
}

describe("ensureMasterKey", () => {
  it("generates a key once, stores only its hash, and reuses the hash afterwards", async () => {
    const settings = memorySettings();
    const first = await ensureMasterKey(settings, undefined);
    expect(first.generatedSecret).toMatch(/^sy-/);
    expect(first.hash).toBe(hashKeySecret(first.generatedSecret ?? ""));
    expect([...settings.values.values()]).toEqual([first.hash]);
    const second = await ensureMasterKey(settings, undefined);
    expect(second).toEqual({ hash: first.hash, generatedSecret: undefined });
  });

  it("lets a configured key win without storing anything", async () => {
    const settings = memorySettings();
    expect(await ensureMasterKey(settings, "sy-configured")).toEqual({
      hash: hashKeySecret("sy-configured"),
      generatedSecret: undefined,
    });
    expect(settings.values.size).toBe(0);
  });
});
