import { describe, expect, it } from "vitest";
import { GatewayError } from "../../core/gateway-error.js";
import type { UpstreamOperation } from "../../core/ports/provider-adapter.js";
import type { GatewayContext, GatewayResponse } from "../gateway-context.js";
import { validateBodyStep } from "./validate-body-step.js";

const ok: GatewayResponse = { kind: "body", status: 200, headers: {}, body: "" };

async function validate(operation: UpstreamOperation, body: unknown) {
  const context = { operation, body, modelRequested: null, stream: false } as unknown as GatewayContext;
  try {
    await validateBodyStep()(context, async () => ok);
    return { context };
  } catch (error) {
    if (error instanceof GatewayError) return { error: { param: error.param, message: error.message } };
    throw error;
  }
}

const user = { role: "user", content: "hi" };

describe("validateBodyStep", () => {
  it("accepts a chat request, records model and stream, and leaves unknown fields alone", async () => {
    const result = await validate("chat.completions", {
      model: "m",
      messages: [user],
      stream: true,
      stream_options: { include_usage: null },
      some_future_field: { nested: [1] },
    });
    expect(result.context).toMatchObject({ modelRequested: "m", stream: true });
  });

  it.each([
    [{ messages: [user] }, "model", "'model' is required"],
    [{ model: "", messages: [user] }, "model", "must be a non-empty string, got a string"],
    [{ model: 7, messages: [user] }, "model", "got a number"],
    [{ model: "m" }, "messages", "'messages' is required"],
    [{ model: "m", messages: {} }, "messages", "must be an array, got an object"],
    [{ model: "m", messages: [] }, "messages", "at least one message"],
    [{ model: "m", messages: [user, "hi"] }, "messages.1", "must be an object, got a string"],
    [{ model: "m", messages: [{ content: "x" }] }, "messages.0.role", "'messages.0.role' is required"],
    [{ model: "m", messages: [{ role: 3 }] }, "messages.0.role", "non-empty string"],
    [{ model: "m", messages: [user], stream: "yes" }, "stream", "must be a boolean, got a string"],
    [{ model: "m", messages: [user], stream_options: [] }, "stream_options", "got an array"],
    [
      { model: "m", messages: [user], stream_options: { include_usage: 1 } },
      "stream_options.include_usage",
      "boolean",
    ],
  ])("rejects %j naming %s", async (body, param, message) => {
    const result = await validate("chat.completions", body);
    expect(result.error?.param).toBe(param);
    expect(result.error?.message).toContain(message);
  });

  it.each([["text"], [["a", "b"]], [[1, 2, 3]], [[[1], [2, 3]]]])(
    "accepts embeddings input %j",
    async (input) => {
      expect((await validate("embeddings", { model: "e", input })).context).toBeDefined();
    },
  );

  it.each([[undefined], [[]], [[1, "a"]], [[[]]], [{}], [3]])(
    "rejects embeddings input %j",
    async (input) => {
      expect((await validate("embeddings", { model: "e", input })).error?.param).toBe("input");
    },
  );
  it.each([
    [{ model: "r", input: "hi", stream: true }],
    [
      {
        model: "r",
        input: [
          { role: "user", content: "hi" },
          { type: "function_call_output", call_id: "c", output: "x" },
        ],
      },
    ],
    [{ model: "r", previous_response_id: "resp_1", instructions: "Be brief.", max_output_tokens: 10 }],
  ])("accepts Responses body %j", async (body) => {
    expect((await validate("responses", body)).context).toBeDefined();
  });

  it.each([
    [{ model: "r", input: 42 }, "input", "must be a string or an array of items, got a number"],
    [{ model: "r", input: ["hi"] }, "input.0", "must be an object, got a string"],
    [{ model: "r", input: [{ content: "hi" }] }, "input.0.role", "is required"],
    [{ model: "r", input: [{ type: 3 }] }, "input.0.type", "must be a string"],
    [{ model: "r", input: "hi", instructions: ["x"] }, "instructions", "must be a string, got an array"],
    [{ model: "r", input: "hi", tools: {} }, "tools", "must be an array"],
    [{ model: "r", input: "hi", max_output_tokens: 0 }, "max_output_tokens", "positive integer"],
    [{ model: "r", input: "hi", stream: "yes" }, "stream", "must be a boolean"],
  ])("rejects Responses body %j naming %s", async (body, param, message) => {
    const result = await validate("responses", body);
    expect(result.error?.param).toBe(param);
    expect(result.error?.message).toContain(message);
  });
});
