import { describe, expect, it } from "vitest";
import type { ProviderAdapter } from "../core/ports/provider-adapter.js";
import { buildRouteTable } from "./route-table.js";
import { RouteTableHolder } from "./route-table-holder.js";

function adapter(name: string): ProviderAdapter {
  return {
    name,
    capabilities: {
      dialect: "openai",
      operations: ["chat.completions"],
      streamUsage: true,
      forwardedHeaderPrefixes: [],
    },
    send: () => Promise.reject(new Error("not used")),
    listModels: async () => [],
    close: async () => undefined,
  };
}

const adapters = new Map([
  ["a", adapter("a")],
  ["b", adapter("b")],
]);

describe("buildRouteTable", () => {
  const table = buildRouteTable(
    [
      {
        name: "smart",
        targets: [
          { provider: "a", model: "gpt-4o", params: { temperature: 0 } },
          { provider: "b", model: undefined, params: {} },
        ],
      },
      { name: "*", targets: [{ provider: "b", model: undefined, params: {} }] },
    ],
    adapters,
  );

  it("maps a named group to its ordered targets", () => {
    const route = table.resolve("smart");
    expect(route?.groupName).toBe("smart");
    expect(route?.targets.map((target) => target.label)).toEqual(["a/gpt-4o", "b/smart"]);
    expect(route?.targets[0]?.params).toEqual({ temperature: 0 });
  });

  it("sends other names through the catch-all unchanged", () => {
    const route = table.resolve("llama-3.1-8b");
    expect(route?.groupName).toBe("*");
    expect(route?.targets[0]?.label).toBe("b/llama-3.1-8b");
    expect(route?.targets[0]?.adapter.name).toBe("b");
    expect(table.namedGroups).toEqual(["smart"]);
    expect(table.wildcardAdapters.map((item) => item.name)).toEqual(["b"]);
  });

  it("answers undefined for unknown names when there is no catch-all", () => {
    const strict = buildRouteTable(
      [{ name: "x", targets: [{ provider: "a", model: undefined, params: {} }] }],
      adapters,
    );
    expect(strict.resolve("y")).toBeUndefined();
  });
});

describe("RouteTableHolder", () => {
  const first = buildRouteTable([], adapters);
  const second = buildRouteTable([], adapters);

  it("hands out the current table and reports the old one drained when its last lease ends", async () => {
    const holder = new RouteTableHolder(first);
    const lease = holder.acquire();
    expect(lease.routes).toBe(first);
    let drained = false;
    const replaced = holder.replace(second).then(() => {
      drained = true;
    });
    expect(holder.acquire().routes).toBe(second);
    await Promise.resolve();
    expect(drained).toBe(false);
    lease.release();
    lease.release();
    await replaced;
    expect(drained).toBe(true);
  });

  it("resolves at once when nobody holds the old table", async () => {
    const holder = new RouteTableHolder(first);
    holder.acquire().release();
    await expect(holder.replace(second)).resolves.toBeUndefined();
  });
});
