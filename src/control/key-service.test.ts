import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { openMemoryStorage } from "../../test/support/memory-storage.js";
import type { AdminRole } from "../core/admin-role.js";
import type { AuditActor, AuditEntry } from "../core/audit-record.js";
import { GatewayError } from "../core/gateway-error.js";
import type { Storage } from "../core/ports/storage.js";
import { KeyService } from "./key-service.js";
import { adminPrincipal, type Principal } from "./principal.js";
import { TenancyService } from "./tenancy-service.js";

const actor: AuditActor = { kind: "cli-user", id: "alice", display: "alice@host" };
let storage: Storage;

beforeEach(async () => {
  storage = await openMemoryStorage();
});
afterEach(async () => {
  vi.useRealTimers();
  await storage.close();
});

function setup(record: (entry: AuditEntry) => Promise<unknown> = async () => undefined) {
  const entries: AuditEntry[] = [];
  const service = new KeyService(storage.keys, {
    tenancy: storage.tenancy,
    principal: adminPrincipal(actor),
    audit: {
      record: (entry) => {
        entries.push(entry);
        return record(entry);
      },
    },
  });
  return { entries, service };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  return error instanceof GatewayError ? error.code : `not a GatewayError: ${String(error)}`;
}

describe("KeyService auditing", () => {
  it("records create, update, rotate and revoke by the actor with the hash prefix, never the secret", async () => {
    const { entries, service } = setup();
    const { record, secret } = await service.create({ name: "search", allowedModels: ["gpt-4o"] });
    await service.update(record.id, { name: "search-2" });
    const rotated = await service.rotate(record.id, 60_000);
    await service.revoke(record.id);
    expect(entries.map((entry) => [entry.action, entry.target, entry.actor])).toEqual([
      ["key.create", `key:${record.id}`, actor],
      ["key.update", `key:${record.id}`, actor],
      ["key.rotate", `key:${record.id}`, actor],
      ["key.revoke", `key:${record.id}`, actor],
    ]);
    expect(entries[0]?.after).toMatchObject({ name: "search", keyHashPrefix: record.keyHash.slice(0, 12) });
    expect(entries[3]?.before).toMatchObject({ revokedAt: null });
    expect(entries[3]?.after).toMatchObject({ revokedAt: expect.any(Number) });
    const text = JSON.stringify(entries);
    for (const hidden of [
      secret,
      rotated.secret,
      record.displayPrefix,
      record.keyHash,
      rotated.record.keyHash,
    ]) {
      expect(text).not.toContain(hidden);
    }
  });

  it("records nothing when a later revoke changes nothing", async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ["Date"] });
    const { entries, service } = setup();
    const { record } = await service.create({ name: "once" });
    await service.revoke(record.id);
    vi.setSystemTime(1_700_000_000_001);
    await service.revoke(record.id);
    await service.revoke("unknown");
    expect(entries.map((entry) => entry.action)).toEqual(["key.create", "key.revoke"]);
  });

  it("says the change was applied when only its audit record failed", async () => {
    const { service } = setup(() => Promise.reject(new Error("database is locked")));
    await expect(service.create({ name: "x" })).rejects.toThrow(
      /key\.create of key:.+ was applied, but its audit record failed: database is locked/,
    );
  });
});

describe("KeyService ownership and rotation", () => {
  it("takes a key's team from its project, and refuses a contradicting team", async () => {
    const { service } = setup();
    const tenancy = new TenancyService(storage.tenancy, adminPrincipal(actor));
    const team = await tenancy.createTeam("search");
    const other = await tenancy.createTeam("ads");
    const project = await tenancy.createProject(team.id, "ranker");
    const { record } = await service.create({ name: "k", projectId: project.id });
    expect(record).toMatchObject({ teamId: team.id, projectId: project.id });
    expect(await codeOf(service.create({ name: "k", projectId: project.id, teamId: other.id }))).toBe(
      "GW_ERR_ADMIN_INVALID_REQUEST",
    );
    expect(await codeOf(service.create({ name: "k", projectId: "p404" }))).toBe("GW_ERR_ADMIN_NOT_FOUND");
    expect(await codeOf(service.create({ name: "k", expiresAt: Date.now() - 1 }))).toBe(
      "GW_ERR_ADMIN_INVALID_REQUEST",
    );
  });

  it("rotates with a bounded grace period and refuses to change a revoked key", async () => {
    const { service } = setup();
    const { record, secret } = await service.create({ name: "k" });
    const rotated = await service.rotate(record.id, 0);
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.record.previousKeyHash).toBe(record.keyHash);
    expect(await codeOf(service.rotate(record.id, -1))).toBe("GW_ERR_ADMIN_INVALID_REQUEST");
    expect(await codeOf(service.rotate(record.id, 31 * 86_400_000))).toBe("GW_ERR_ADMIN_INVALID_REQUEST");
    await service.revoke(record.id);
    expect(await codeOf(service.rotate(record.id, 0))).toBe("GW_ERR_ADMIN_CONFLICT");
    expect(await codeOf(service.update(record.id, { name: "x" }))).toBe("GW_ERR_ADMIN_CONFLICT");
  });
});

describe("KeyService access by role and team", () => {
  async function world() {
    const admin = adminPrincipal(actor);
    const tenancy = new TenancyService(storage.tenancy, admin);
    const mine = await tenancy.createTeam("mine");
    const theirs = await tenancy.createTeam("theirs");
    const myProject = await tenancy.createProject(mine.id, "p");
    const theirProject = await tenancy.createProject(theirs.id, "p");
    const adminKeys = new KeyService(storage.keys, { tenancy: storage.tenancy, principal: admin });
    const myKey = (await adminKeys.create({ name: "mine", projectId: myProject.id })).record;
    const myAdminKey = (await adminKeys.create({ name: "boss", projectId: myProject.id, role: "admin" }))
      .record;
    const theirKey = (await adminKeys.create({ name: "theirs", projectId: theirProject.id })).record;
    const as = (role: AdminRole, teamId: string | null = mine.id) => {
      const principal: Principal = { role, teamId, keyId: "caller", actor };
      return new KeyService(storage.keys, { tenancy: storage.tenancy, principal });
    };
    return { mine, theirs, myProject, theirProject, myKey, myAdminKey, theirKey, as };
  }

  it("confines a developer to its team's keys, and to roles no stronger than its own", async () => {
    const w = await world();
    const developer = w.as("developer");
    expect((await developer.list()).map((key) => key.name).sort()).toEqual(["boss", "mine"]);
    expect(await codeOf(developer.get(w.theirKey.id))).toBe("GW_ERR_ADMIN_NOT_FOUND");
    expect(await codeOf(developer.revoke(w.theirKey.id))).toBe("GW_ERR_ADMIN_NOT_FOUND");
    expect(await codeOf(developer.rotate(w.theirKey.id, 0))).toBe("GW_ERR_ADMIN_NOT_FOUND");
    expect(await codeOf(developer.create({ name: "x", projectId: w.theirProject.id }))).toBe(
      "GW_ERR_ADMIN_NOT_FOUND",
    );
    expect(await codeOf(developer.create({ name: "x", teamId: w.theirs.id }))).toBe("GW_ERR_ADMIN_NOT_FOUND");
    expect(await codeOf(developer.create({ name: "x" }))).toBe("GW_ERR_ADMIN_FORBIDDEN");
    expect(await codeOf(developer.create({ name: "x", projectId: w.myProject.id, role: "admin" }))).toBe(
      "GW_ERR_ADMIN_FORBIDDEN",
    );
    expect(await codeOf(developer.create({ name: "x", projectId: w.myProject.id, role: "operator" }))).toBe(
      "GW_ERR_ADMIN_FORBIDDEN",
    );
    expect(await codeOf(developer.update(w.myKey.id, { role: "admin" }))).toBe("GW_ERR_ADMIN_FORBIDDEN");
    expect(await codeOf(developer.update(w.myKey.id, { projectId: w.theirProject.id }))).toBe(
      "GW_ERR_ADMIN_NOT_FOUND",
    );
    expect(await codeOf(developer.update(w.myKey.id, { teamId: w.theirs.id }))).toBe(
      "GW_ERR_ADMIN_NOT_FOUND",
    );
    expect(await codeOf(developer.update(w.myKey.id, { teamId: null }))).toBe("GW_ERR_ADMIN_FORBIDDEN");
    expect(await developer.update(w.myKey.id, { projectId: null })).toMatchObject({
      teamId: w.mine.id,
      projectId: null,
    });
    expect(await codeOf(developer.revoke(w.myAdminKey.id))).toBe("GW_ERR_ADMIN_FORBIDDEN");
    const made = await developer.create({ name: "ok", projectId: w.myProject.id, role: "developer" });
    expect(made.record.teamId).toBe(w.mine.id);
    expect((await developer.rotate(w.myKey.id, 1000)).record.id).toBe(w.myKey.id);
    expect((await developer.revoke(w.myKey.id))?.revokedAt).not.toBeNull();
  });

  it("lets an admin move a key between projects and teams, its team following its project", async () => {
    const w = await world();
    const admin = w.as("admin", null);
    expect(await admin.update(w.theirKey.id, { teamId: w.mine.id })).toMatchObject({
      teamId: w.mine.id,
      projectId: null,
    });
    expect(await admin.update(w.theirKey.id, { projectId: w.theirProject.id })).toMatchObject({
      teamId: w.theirs.id,
      projectId: w.theirProject.id,
    });
    expect(await admin.update(w.theirKey.id, { teamId: null })).toMatchObject({
      teamId: null,
      projectId: null,
    });
  });

  it("lets viewers and operators read but not write; viewers only their team, teamless ones nothing", async () => {
    const w = await world();
    expect((await w.as("viewer").list()).map((key) => key.name).sort()).toEqual(["boss", "mine"]);
    expect((await w.as("viewer", null).list()).length).toBe(0);
    expect((await w.as("operator", null).list()).length).toBe(3);
    for (const role of ["viewer", "operator"] as const) {
      expect(await codeOf(w.as(role).create({ name: "x", projectId: w.myProject.id }))).toBe(
        "GW_ERR_ADMIN_FORBIDDEN",
      );
      expect(await codeOf(w.as(role).revoke(w.myKey.id))).toBe("GW_ERR_ADMIN_FORBIDDEN");
    }
  });
});
