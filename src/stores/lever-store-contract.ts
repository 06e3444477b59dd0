import { describe, expect, it } from "vitest";
import type { Lever } from "../core/lever.js";
import type { Storage } from "../core/ports/storage.js";

const T0 = 1_800_000_000_000;

function lever(id: string, overrides: Partial<Lever> = {}): Lever {
  return {
    id,
    params: { kind: "cap-max-tokens", group: "chat", maxTokens: 256 },
    reason: "provider slow",
    actor: "admin:alice",
    createdAt: T0,
    expiresAt: null,
    ...overrides,
  };
}

/** The `LeverStore` contract; runs against every storage backend. */
export function describeLeverStoreContract(openFresh: () => Promise<Storage>): void {
  describe("levers", () => {
    it("lists active levers with their parameters, oldest first, leaving out expired ones", async () => {
      const { levers } = await openFresh();
      const timeout = lever("lv_b", {
        params: { kind: "timeout", group: "chat", firstTokenMs: 500 },
        createdAt: T0 + 1,
        expiresAt: T0 + 10_000,
      });
      await levers.insert(timeout);
      await levers.insert(lever("lv_a"));
      await levers.insert(
        lever("lv_c", { params: { kind: "disable-target", target: "openai/gpt-4o" }, expiresAt: T0 + 5 }),
      );
      expect(await levers.listActive(T0 + 4)).toEqual([
        lever("lv_a"),
        lever("lv_c", { params: { kind: "disable-target", target: "openai/gpt-4o" }, expiresAt: T0 + 5 }),
        timeout,
      ]);
      expect((await levers.listActive(T0 + 5)).map((row) => row.id)).toEqual(["lv_a", "lv_b"]);
    });

    it("clears a lever once, recording who and why", async () => {
      const { levers } = await openFresh();
      await levers.insert(lever("lv_a"));
      await levers.insert(lever("lv_b", { params: { kind: "disable-tools", group: "chat" } }));
      expect(await levers.clear("lv_a", "cli", "recovered", T0 + 9)).toEqual({
        lever: lever("lv_a"),
        clearedBy: "cli",
        clearReason: "recovered",
        clearedAt: T0 + 9,
      });
      expect(await levers.clear("lv_a", "cli", "again", T0 + 10)).toBeUndefined();
      expect(await levers.clear("lv_unknown", "cli", "nothing", T0 + 10)).toBeUndefined();
      expect((await levers.listActive(T0)).map((row) => row.id)).toEqual(["lv_b"]);
    });
  });
}
