import { describe, expect, it } from "vitest";
import type { AuditEntry } from "../core/audit-record.js";
import { GatewayError } from "../core/gateway-error.js";
import type { Lever } from "../core/lever.js";
import type { ClearedLever, LeverStore } from "../core/ports/lever-store.js";
import { LeverService } from "./lever-service.js";
import { masterPrincipal, type Principal } from "./principal.js";

class MemoryLeverStore implements LeverStore {
  readonly rows = new Map<string, Lever>();
  async insert(lever: Lever): Promise<void> {
    this.rows.set(lever.id, lever);
  }
  async listActive(now: number): Promise<Lever[]> {
    return [...this.rows.values()].filter((lever) => lever.expiresAt === null || now < lever.expiresAt);
  }
  async clear(
    id: string,
    clearedBy: string,
    clearReason: string,
    clearedAt: number,
  ): Promise<ClearedLever | undefined> {
    const lever = this.rows.get(id);
    if (lever === undefined) return undefined;
    this.rows.delete(id);
    return { lever, clearedBy, clearReason, clearedAt };
  }
}

const viewer: Principal = {
  role: "viewer",
  teamId: "team-1",
  keyId: "key-1",
  actor: { kind: "virtual-key", id: "key-1", display: "viewer key" },
};

function setUp(principal: Principal = masterPrincipal) {
  const store = new MemoryLeverStore();
  const entries: AuditEntry[] = [];
  const service = new LeverService(
    store,
    principal,
    { record: async (entry) => entries.push(entry) },
    () => 5_000,
  );
  return { store, entries, service };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error.code;
    throw error;
  }
  throw new Error("expected a GatewayError");
}

describe("LeverService", () => {
  it("sets a lever with its actor and expiry, audited as lever.set with the reason", async () => {
    const { service, entries } = setUp();
    const lever = await service.set({
      params: { kind: "timeout", group: "chat", totalMs: 3000 },
      reason: "  INC-7 slow upstream ",
      expiresInMs: 60_000,
    });
    expect(lever).toMatchObject({
      params: { kind: "timeout", group: "chat", totalMs: 3000 },
      reason: "INC-7 slow upstream",
      actor: "master key",
      createdAt: 5_000,
      expiresAt: 65_000,
    });
    expect(await service.list()).toEqual([lever]);
    expect(entries).toEqual([
      expect.objectContaining({
        action: "lever.set",
        target: `lever:${lever.id}`,
        reason: "INC-7 slow upstream",
        after: expect.objectContaining({ kind: "timeout", group: "chat", totalMs: 3000 }),
      }),
    ]);
  });

  it("clears a lever once, audited as lever.clear with the reason", async () => {
    const { service, entries } = setUp();
    const lever = await service.set({
      params: { kind: "disable-tools", group: "chat" },
      reason: "broken tools",
    });
    expect((await service.clear(lever.id, "fixed")).id).toBe(lever.id);
    expect(entries.at(-1)).toMatchObject({
      action: "lever.clear",
      target: `lever:${lever.id}`,
      reason: "fixed",
    });
    expect(await codeOf(service.clear(lever.id, "again"))).toBe("GW_ERR_ADMIN_NOT_FOUND");
  });

  it.each([
    [{ kind: "cap-max-tokens", group: "chat" }, "r"],
    [{ kind: "timeout", group: "chat" }, "r"],
    [{ kind: "disable-target", target: "no-slash" }, "r"],
    [{ kind: "drain-everything" }, "r"],
    [{ kind: "force-fallback", group: "chat" }, "   "],
  ])("refuses %j with reason %j", async (params, reason) => {
    const { service, store, entries } = setUp();
    expect(await codeOf(service.set({ params, reason }))).toBe("GW_ERR_ADMIN_INVALID_REQUEST");
    expect(store.rows.size).toBe(0);
    expect(entries).toEqual([]);
  });

  it("refuses roles without the permissions", async () => {
    const { service } = setUp(viewer);
    expect(await codeOf(service.list())).toBe("GW_ERR_ADMIN_FORBIDDEN");
    expect(await codeOf(service.set({ params: { kind: "force-fallback", group: "g" }, reason: "r" }))).toBe(
      "GW_ERR_ADMIN_FORBIDDEN",
    );
    expect(await codeOf(service.clear("lv_x", "r"))).toBe("GW_ERR_ADMIN_FORBIDDEN");
  });
});
