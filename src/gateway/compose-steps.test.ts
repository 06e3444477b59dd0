import { describe, expect, it } from "vitest";
import { composeSteps, type GatewayStep } from "./compose-steps.js";
import type { GatewayContext, GatewayResponse } from "./gateway-context.js";

const context = {} as GatewayContext;
const ok: GatewayResponse = { kind: "body", status: 200, headers: {}, body: "ok" };

describe("composeSteps", () => {
  it("runs steps in order around the terminal handler and unwinds in reverse", async () => {
    const trace: string[] = [];
    const step =
      (name: string): GatewayStep =>
      async (_context, next) => {
        trace.push(`${name}:in`);
        const response = await next();
        trace.push(`${name}:out`);
        return response;
      };
    const handler = composeSteps([step("a"), step("b")], async () => {
      trace.push("terminal");
      return ok;
    });
    expect(await handler(context)).toBe(ok);
    expect(trace).toEqual(["a:in", "b:in", "terminal", "b:out", "a:out"]);
  });

  it("lets a step answer without calling next", async () => {
    let reachedTerminal = false;
    const handler = composeSteps([async () => ok], async () => {
      reachedTerminal = true;
      return ok;
    });
    await handler(context);
    expect(reachedTerminal).toBe(false);
  });

  it("rejects a step that calls next twice", async () => {
    const handler = composeSteps(
      [
        async (_context, next) => {
          await next();
          return next();
        },
      ],
      async () => ok,
    );
    await expect(handler(context)).rejects.toThrow("next() called twice");
  });
});
