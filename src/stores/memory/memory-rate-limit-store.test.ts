import { afterEach, describe, expect, it } from "vitest";
import { describeRateLimitStoreContract } from "../rate-limit-store-contract.js";
import { MemoryRateLimitStore } from "./memory-rate-limit-store.js";

const opened: MemoryRateLimitStore[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

describe("in-memory rate-limit store", () => {
  describeRateLimitStoreContract(async () => {
    const store = new MemoryRateLimitStore();
    opened.push(store);
    return store;
  });

  it("ends a window exactly windowMs after its first use", async () => {
    let now = 1_000_000;
    const store = new MemoryRateLimitStore({ now: () => now });
    opened.push(store);
    const check = { kind: "requests", bucket: "b", limit: 1, windowMs: 60_000, cost: 1 } as const;
    expect((await store.acquire([check], "r1")).admitted).toBe(true);
    now += 59_999;
    const refused = await store.acquire([check], "r2");
    expect(refused.admitted).toBe(false);
    expect(refused.states[0]?.resetMs).toBe(1);
    now += 1;
    expect((await store.acquire([check], "r3")).admitted).toBe(true);
  });
});
