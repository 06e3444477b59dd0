import { afterEach, describe, expect, it } from "vitest";
import type { Storage } from "../core/ports/storage.js";
import { describeAuditLogStoreContract } from "./audit-log-store-contract.js";
import { describeKeyStoreContract } from "./key-store-contract.js";
import { describeLeverStoreContract } from "./lever-store-contract.js";
import { describeRequestLogStoreContract, makeLog } from "./request-log-store-contract.js";
import { describeSloBucketStoreContract } from "./slo-bucket-store-contract.js";
import { describeTenancyStoreContract } from "./tenancy-store-contract.js";

/** Opens a handle on one database location; each call opens another handle on the same data. */
export type StorageOpener = () => Promise<Storage>;

export interface StorageContractTarget {
  readonly dialect: Storage["dialect"];
  /** Reserves a new, empty database (or schema) and returns an opener for it. */
  readonly newLocation: () => StorageOpener;
  /** Whether data outlives closing every handle (false for `sqlite::memory:`). */
  readonly durable: boolean;
}

/** The one behavioural contract every `Storage` implementation must pass. */
export function describeStorageContract(label: string, target: StorageContractTarget): void {
  describe(`${label}: Storage contract`, () => {
    const opened: Storage[] = [];
    const track = async (storage: Promise<Storage>): Promise<Storage> => {
      const handle = await storage;
      opened.push(handle);
      return handle;
    };
    const openFresh = (): Promise<Storage> => track(target.newLocation()());

    afterEach(async () => {
      await Promise.all(opened.splice(0).map((storage) => storage.close()));
    });

    describeKeyStoreContract(openFresh);
    describeTenancyStoreContract(openFresh);
    describeRequestLogStoreContract(openFresh);
    describeSloBucketStoreContract(openFresh);
    describeLeverStoreContract(openFresh);
    describeAuditLogStoreContract(
      openFresh,
      target.durable
        ? async () => {
            const open = target.newLocation();
            const first = await track(open());
            return [first, await track(open())];
          }
        : undefined,
    );

    describe("settings", () => {
      it("returns undefined for a missing name, then what set wrote, overwriting", async () => {
        const { settings } = await openFresh();
        expect(await settings.get("master_key_hash")).toBeUndefined();
        await settings.set("master_key_hash", "abc");
        expect(await settings.get("master_key_hash")).toBe("abc");
        await settings.set("master_key_hash", "def");
        expect(await settings.get("master_key_hash")).toBe("def");
        expect(await settings.get("other")).toBeUndefined();
      });

      it("setIfAbsent writes only the first value and reports whether it wrote", async () => {
        const { settings } = await openFresh();
        expect(await settings.setIfAbsent("secret", "first")).toBe(true);
        expect(await settings.setIfAbsent("secret", "second")).toBe(false);
        expect(await settings.get("secret")).toBe("first");
        await settings.set("other", "x");
        expect(await settings.setIfAbsent("other", "y")).toBe(false);
        expect(await settings.get("other")).toBe("x");
      });

      it("setIfAbsent lets exactly one of several concurrent callers win", async () => {
        const { settings } = await openFresh();
        const values = ["a", "b", "c", "d", "e", "f"];
        const wins = await Promise.all(values.map((value) => settings.setIfAbsent("race", value)));
        expect(wins.filter(Boolean)).toHaveLength(1);
        expect(await settings.get("race")).toBe(values[wins.indexOf(true)]);
      });

      it("stores values verbatim, including empty and non-ASCII text", async () => {
        const { settings } = await openFresh();
        await settings.set("empty", "");
        await settings.set("unicode", "ключ 🔑 \"quoted\" 'single'\n");
        expect(await settings.get("empty")).toBe("");
        expect(await settings.get("unicode")).toBe("ключ 🔑 \"quoted\" 'single'\n");
      });
    });

    describe("handle", () => {
      it(`reports its dialect (${target.dialect}) and answers ping`, async () => {
        const storage = await openFresh();
        expect(storage.dialect).toBe(target.dialect);
        await expect(storage.ping()).resolves.toBeUndefined();
      });

      it("rejects ping after close, and close is idempotent", async () => {
        const storage = await openFresh();
        await storage.close();
        await expect(storage.close()).resolves.toBeUndefined();
        await expect(storage.ping()).rejects.toThrow();
      });

      if (target.durable) {
        it("keeps every store's data across reopen, and migrating again changes nothing", async () => {
          const open = target.newLocation();
          const first = await track(open());
          await first.keys.create({
            id: "key_1",
            name: "kept",
            keyHash: "hash-kept",
            displayPrefix: "sy-kept",
            allowedModels: ["m"],
            allowedEndpoints: [],
            metadata: { team: "t" },
            teamId: null,
            projectId: null,
            userId: null,
            role: null,
            expiresAt: null,
            createdAt: 1_700_000_000_000,
          });
          await first.settings.set("s", "v");
          await first.requestLogs.appendBatch([makeLog({ id: "log_1" })]);
          await first.close();

          const second = await track(open());
          const third = await track(open());
          for (const storage of [second, third]) {
            expect((await storage.keys.list()).map((key) => key.id)).toEqual(["key_1"]);
            expect(await storage.settings.get("s")).toBe("v");
            expect(await storage.requestLogs.query({})).toEqual([makeLog({ id: "log_1" })]);
          }
          await third.keys.revoke("key_1", 1_700_000_000_500);
          expect((await second.keys.list())[0]?.revokedAt).toBe(1_700_000_000_500);
        });
      }
    });
  });
}
