import { describe, expect, it } from "vitest";
import type { NewVirtualKey } from "../core/ports/key-store.js";
import type { Storage } from "../core/ports/storage.js";

const T0 = 1_700_000_000_000;

function makeKey(n: number, overrides: Partial<NewVirtualKey> = {}): NewVirtualKey {
  return {
    id: `key_${n}`,
    name: `key number ${n}`,
    keyHash: `hash_${n}`.padEnd(64, "0"),
    displayPrefix: `sy-${n}`,
    allowedModels: [],
    allowedEndpoints: [],
    metadata: {},
    teamId: null,
    projectId: null,
    userId: null,
    role: null,
    expiresAt: null,
    createdAt: T0 + n * 1000,
    ...overrides,
  };
}

const neverChanged = { revokedAt: null, previousKeyHash: null, previousKeyExpiresAt: null } as const;

/** KeyStore part of the storage contract; `openFresh` gives an empty storage closed after each test. */
export function describeKeyStoreContract(openFresh: () => Promise<Storage>): void {
  describe("keys", () => {
    it("create returns the stored record and round-trips models and metadata exactly", async () => {
      const { keys } = await openFresh();
      const input = makeKey(1, {
        allowedModels: ["gpt-4o", "claude-sonnet", "ключ/模型"],
        metadata: { team: "search", "cost-centre": "42", quote: 'a "b"', ["__proto__"]: "kept as data" },
      });
      const created = await keys.create(input);
      expect(created).toEqual({ ...input, updatedAt: input.createdAt, ...neverChanged });
      expect(Object.getPrototypeOf(created.metadata)).toBe(Object.prototype);
      expect(await keys.list()).toEqual([created]);
      expect(typeof created.createdAt).toBe("number");
    });

    it("lists every key newest first, revoked ones included", async () => {
      const { keys } = await openFresh();
      await keys.create(makeKey(1));
      await keys.create(makeKey(3));
      await keys.create(makeKey(2));
      await keys.revoke("key_3", T0 + 10_000);
      const listed = await keys.list();
      expect(listed.map((key) => key.id)).toEqual(["key_3", "key_2", "key_1"]);
      expect(listed[0]?.revokedAt).toBe(T0 + 10_000);
    });

    it("rejects a second key with the same hash, or the same id, and keeps the first", async () => {
      const { keys } = await openFresh();
      const first = await keys.create(makeKey(1));
      await expect(keys.create(makeKey(2, { keyHash: first.keyHash }))).rejects.toThrow();
      await expect(keys.create(makeKey(3, { id: first.id }))).rejects.toThrow();
      expect(await keys.list()).toEqual([first]);
    });

    it("revokes by id, setting revokedAt and updatedAt and leaving other keys alone", async () => {
      const { keys } = await openFresh();
      const first = await keys.create(makeKey(1));
      const second = await keys.create(makeKey(2));
      const revoked = await keys.revoke(first.id, T0 + 50_000);
      expect(revoked).toEqual({ ...first, revokedAt: T0 + 50_000, updatedAt: T0 + 50_000 });
      expect(await keys.list()).toEqual([second, revoked]);
    });

    it("revokes by exact display prefix only", async () => {
      const { keys } = await openFresh();
      const key = await keys.create(makeKey(7, { displayPrefix: "sy-ab12" }));
      expect(await keys.revoke("sy-ab1", T0 + 50_000)).toBeUndefined();
      expect(await keys.revoke("sy-AB12", T0 + 50_000)).toBeUndefined();
      const revoked = await keys.revoke("sy-ab12", T0 + 60_000);
      expect(revoked).toEqual({ ...key, revokedAt: T0 + 60_000, updatedAt: T0 + 60_000 });
    });

    it("returns undefined for an unknown id or prefix and changes nothing", async () => {
      const { keys } = await openFresh();
      const key = await keys.create(makeKey(1));
      expect(await keys.revoke("key_404", T0 + 50_000)).toBeUndefined();
      expect(await keys.revoke("", T0 + 50_000)).toBeUndefined();
      expect(await keys.list()).toEqual([key]);
    });

    it("returns an already revoked key unchanged, keeping the first revocation time", async () => {
      const { keys } = await openFresh();
      await keys.create(makeKey(1));
      const revoked = await keys.revoke("key_1", T0 + 50_000);
      expect(await keys.revoke("key_1", T0 + 90_000)).toEqual(revoked);
      expect(await keys.revoke("sy-1", T0 + 95_000)).toEqual(revoked);
      expect(await keys.listChangedSince(T0 + 50_001)).toEqual([]);
    });

    it("prefers an id match over a prefix match, and refuses a prefix shared by several keys", async () => {
      const { keys } = await openFresh();
      const byId = await keys.create(makeKey(1, { id: "sy-dup" }));
      const shared1 = await keys.create(makeKey(2, { displayPrefix: "sy-dup" }));
      const shared2 = await keys.create(makeKey(3, { displayPrefix: "sy-dup" }));
      expect((await keys.revoke("sy-dup", T0 + 50_000))?.id).toBe(byId.id);

      await keys.create(makeKey(4, { displayPrefix: "sy-twin" }));
      await keys.create(makeKey(5, { displayPrefix: "sy-twin" }));
      await expect(keys.revoke("sy-twin", T0 + 60_000)).rejects.toThrow(/matches 2 keys/);
      const untouched = (await keys.list()).filter((key) => key.id !== byId.id);
      expect(untouched.every((key) => key.revokedAt === null)).toBe(true);
      expect(untouched.map((key) => key.id)).toContain(shared1.id);
      expect(untouched.map((key) => key.id)).toContain(shared2.id);
    });

    it("listChangedSince returns exactly the keys with updatedAt >= since", async () => {
      const { keys } = await openFresh();
      await keys.create(makeKey(1)); // updatedAt T0 + 1000
      await keys.create(makeKey(2)); // updatedAt T0 + 2000
      await keys.create(makeKey(3)); // updatedAt T0 + 3000
      await keys.revoke("key_1", T0 + 5000);

      const ids = async (since: number) => (await keys.listChangedSince(since)).map((key) => key.id).sort();
      expect(await ids(0)).toEqual(["key_1", "key_2", "key_3"]);
      expect(await ids(T0 + 2000)).toEqual(["key_1", "key_2", "key_3"]);
      expect(await ids(T0 + 2001)).toEqual(["key_1", "key_3"]);
      expect(await ids(T0 + 5000)).toEqual(["key_1"]);
      expect(await ids(T0 + 5001)).toEqual([]);
      expect((await keys.listChangedSince(T0 + 4000))[0]?.revokedAt).toBe(T0 + 5000);
    });
    it("round-trips the tenancy fields, and get finds a key by id only", async () => {
      const { keys } = await openFresh();
      const input = makeKey(1, {
        allowedEndpoints: ["chat.completions"],
        teamId: "team_a",
        projectId: "project_a",
        userId: "ada@example.com",
        role: "developer",
        expiresAt: T0 + 86_400_000,
      });
      const created = await keys.create(input);
      expect(created).toEqual({ ...input, updatedAt: input.createdAt, ...neverChanged });
      expect(await keys.get("key_1")).toEqual(created);
      expect(await keys.get("sy-1")).toBeUndefined();
      expect(await keys.get("key_404")).toBeUndefined();
    });

    it("update changes only the given fields (null clears), bumps updatedAt, and never touches a revoked key", async () => {
      const { keys } = await openFresh();
      const key = await keys.create(makeKey(1, { teamId: "team_a", role: "viewer", metadata: { a: "1" } }));
      const other = await keys.create(makeKey(2));
      const updated = await keys.update(
        key.id,
        { name: "renamed", role: null, expiresAt: T0 + 5, allowedModels: ["m"], metadata: { b: "2" } },
        T0 + 20_000,
      );
      expect(updated).toEqual({
        ...key,
        name: "renamed",
        role: null,
        expiresAt: T0 + 5,
        allowedModels: ["m"],
        metadata: { b: "2" },
        updatedAt: T0 + 20_000,
      });
      expect(await keys.update(key.id, {}, T0 + 21_000)).toEqual({ ...updated, updatedAt: T0 + 21_000 });
      expect(await keys.update("key_404", { name: "x" }, T0 + 22_000)).toBeUndefined();
      await keys.revoke(key.id, T0 + 30_000);
      expect(await keys.update(key.id, { name: "after" }, T0 + 40_000)).toBeUndefined();
      expect((await keys.get(key.id))?.name).toBe("renamed");
      expect(await keys.get(other.id)).toEqual(other);
    });

    it("rotate swaps in the new hash and keeps the old one as previous, with its grace end", async () => {
      const { keys } = await openFresh();
      const key = await keys.create(makeKey(1));
      const first = await keys.rotate(
        key.id,
        { keyHash: "h2".padEnd(64, "0"), displayPrefix: "sy-two", previousKeyExpiresAt: T0 + 99_000 },
        T0 + 50_000,
      );
      expect(first).toEqual({
        ...key,
        keyHash: "h2".padEnd(64, "0"),
        displayPrefix: "sy-two",
        previousKeyHash: key.keyHash,
        previousKeyExpiresAt: T0 + 99_000,
        updatedAt: T0 + 50_000,
      });
      const second = await keys.rotate(
        key.id,
        { keyHash: "h3".padEnd(64, "0"), displayPrefix: "sy-three", previousKeyExpiresAt: T0 + 70_000 },
        T0 + 60_000,
      );
      expect(second).toMatchObject({
        previousKeyHash: "h2".padEnd(64, "0"),
        previousKeyExpiresAt: T0 + 70_000,
      });
      expect((await keys.listChangedSince(T0 + 60_000)).map((changed) => changed.id)).toEqual([key.id]);
      await expect(
        keys.rotate("key_404", { keyHash: "h4", displayPrefix: "sy-4", previousKeyExpiresAt: 0 }, T0),
      ).resolves.toBeUndefined();
      await keys.revoke(key.id, T0 + 80_000);
      await expect(
        keys.rotate(key.id, { keyHash: "h5", displayPrefix: "sy-5", previousKeyExpiresAt: 0 }, T0 + 90_000),
      ).resolves.toBeUndefined();
    });

    it("refuses a rotation to a hash another key holds", async () => {
      const { keys } = await openFresh();
      const first = await keys.create(makeKey(1));
      const second = await keys.create(makeKey(2));
      await expect(
        keys.rotate(
          second.id,
          { keyHash: first.keyHash, displayPrefix: "sy-x", previousKeyExpiresAt: 0 },
          T0,
        ),
      ).rejects.toThrow();
      expect(await keys.get(second.id)).toEqual(second);
    });
  });
}
