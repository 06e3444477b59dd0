import { describe, expect, it } from "vitest";
import { Cancellation } from "./cancellation.js";

describe("Cancellation", () => {
  it("calls every listener once, in order, and is aborted from then on", () => {
    const cancellation = new Cancellation();
    const calls: string[] = [];
    cancellation.on("abort", () => calls.push("first"));
    cancellation.once("abort", () => calls.push("second"));
    expect(cancellation.aborted).toBe(false);
    cancellation.cancel();
    cancellation.cancel();
    expect(cancellation.aborted).toBe(true);
    expect(calls).toEqual(["first", "second"]);
  });

  it("does not call a removed listener, and removes one registration per call", () => {
    const cancellation = new Cancellation();
    let calls = 0;
    const listener = () => {
      calls += 1;
    };
    cancellation.on("abort", listener);
    cancellation.on("abort", listener);
    cancellation.removeListener("abort", listener);
    cancellation.removeListener("abort", () => undefined);
    cancellation.cancel();
    expect(calls).toBe(1);
  });

  it("lets a listener remove itself or another one while cancelling", () => {
    const cancellation = new Cancellation();
    const calls: string[] = [];
    const second = () => calls.push("second");
    const first = () => {
      calls.push("first");
      cancellation.removeListener("abort", first);
      cancellation.removeListener("abort", second);
    };
    cancellation.on("abort", first);
    cancellation.on("abort", second);
    cancellation.cancel();
    expect(calls).toEqual(["first", "second"]);
  });
});
