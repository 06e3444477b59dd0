import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Cancellation } from "../core/cancellation.js";
import { unknownUsage } from "../core/cost/token-usage.js";
import { GatewayError } from "../core/gateway-error.js";
import type { GatewayContext } from "./gateway-context.js";
import { relayOpenAiStream, type StreamChunkGuard } from "./openai-stream-relay.js";

const recorded = readFileSync(
  new URL("../../test/__fixtures__/openai/chat-completion.chunks.txt", import.meta.url),
  "utf8",
);

function newContext(): GatewayContext {
  return {
    startedAt: performance.now(),
    signal: new Cancellation(),
    usage: unknownUsage,
    ttftMs: null,
    errorCode: null,
    loggedStatus: null,
  } as unknown as GatewayContext;
}

let upstreamReleased = false;

async function* pieces(text: string, size: number, failAtEnd?: Error): AsyncIterable<Uint8Array> {
  upstreamReleased = false;
  const bytes = Buffer.from(text, "utf8");
  try {
    for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
    if (failAtEnd !== undefined) throw failAtEnd;
  } finally {
    upstreamReleased = true;
  }
}

async function relay(
  upstream: AsyncIterable<Uint8Array>,
  clientWantsUsage: boolean,
  guard?: StreamChunkGuard,
) {
  const context = newContext();
  let output = "";
  for await (const text of relayOpenAiStream({
    context,
    upstream,
    clientWantsUsage,
    renderError: (error) => `data: {"error":{"code":"${error.code}"}}\n\n`,
    guard,
  })) {
    output += text;
  }
  return { context, output, released: upstreamReleased };
}

const events = (output: string) => output.split("\n\n").filter((event) => event !== "");

describe("relayOpenAiStream", () => {
  it("keeps the streamed text when asked to (to estimate usage a cut stream never reported)", async () => {
    const context = newContext();
    context.completionText = [];
    const cut = recorded.split("\n\n").slice(0, 4).join("\n\n").concat("\n\n");
    for await (const _text of relayOpenAiStream({
      context,
      upstream: pieces(cut, 16),
      clientWantsUsage: false,
      renderError: () => "",
    })) {
      // drain
    }
    expect(context.completionText.join("")).toBe("Hello! How can I help?");
    expect(context.usage).toEqual(unknownUsage);
    expect(context.errorCode).toBe("GW_ERR_STREAM_INTERRUPTED");
  });

  it.each([1, 7, 64, 100_000])(
    "relays the events unchanged whatever the chunking (%i-byte pieces)",
    async (size) => {
      const { output, context } = await relay(pieces(recorded, size), true);
      expect(events(output)).toEqual(events(recorded));
      expect(context.usage).toMatchObject({ inputTokens: 9, outputTokens: 6, cachedTokens: 0 });
      expect(context.ttftMs).not.toBeNull();
      expect(context.errorCode).toBeNull();
    },
  );

  it("drops the usage-only chunk when the client did not ask for it, but still records usage", async () => {
    const { output, context } = await relay(pieces(recorded, 50), false);
    expect(events(output)).toHaveLength(events(recorded).length - 1);
    expect(output).not.toContain('"choices":[]');
    expect(output.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(context.usage.inputTokens).toBe(9);
  });

  it("ends a stream that stops without [DONE] with an error event", async () => {
    const cut = recorded.slice(0, recorded.indexOf("data: [DONE]"));
    const { output, context } = await relay(pieces(cut, 30), true);
    expect(output).not.toContain("[DONE]");
    expect(events(output).at(-1)).toBe('data: {"error":{"code":"GW_ERR_STREAM_INTERRUPTED"}}');
    expect(context).toMatchObject({ errorCode: "GW_ERR_STREAM_INTERRUPTED", loggedStatus: 502 });
  });

  it("records an output-token estimate for a stream cut before its usage chunk", async () => {
    const firstFour = recorded.split("\n\n").slice(0, 4).join("\n\n").concat("\n\n");
    const { context } = await relay(pieces(firstFour, 25), true);
    expect(context.errorCode).toBe("GW_ERR_STREAM_INTERRUPTED");
    expect(context.usage).toEqual({ ...unknownUsage, outputTokens: 4, estimated: true });
  });

  it("stops at a malformed event, releases the upstream and never relays the garbage", async () => {
    const broken = recorded.replace('{"content":"!"}', "{garbage");
    const { output, released } = await relay(pieces(broken, 16), true);
    expect(released).toBe(true);
    expect(output).not.toContain("garbage");
    expect(output).not.toContain("[DONE]");
    expect(events(output).at(-1)).toContain("GW_ERR_STREAM_INTERRUPTED");
  });

  it("turns an upstream failure mid-stream (reset, idle timeout) into an error event", async () => {
    const firstTwo = recorded.split("\n\n").slice(0, 2).join("\n\n").concat("\n\n");
    const timeout = new GatewayError("GW_ERR_UPSTREAM_TIMEOUT", "Provider p timed out.");
    const { output, context } = await relay(pieces(firstTwo, 10, timeout), true);
    expect(events(output)).toHaveLength(3);
    expect(events(output).at(-1)).toContain("GW_ERR_STREAM_INTERRUPTED");
    expect(context.errorCode).toBe("GW_ERR_STREAM_INTERRUPTED");
  });

  it("relays an error object sent inside a 200 stream and ends there: no [DONE] after it", async () => {
    const errorEvent = 'data: {"error":{"message":"overloaded","type":"server_error"}}\n\n';
    const firstTwo = recorded.split("\n\n").slice(0, 2).join("\n\n").concat("\n\n");
    const { output, context, released } = await relay(
      pieces(`${firstTwo}${errorEvent}data: [DONE]\n\n`, 9),
      true,
    );
    expect(output).toBe(`${firstTwo}${errorEvent}`);
    expect(released).toBe(true);
    expect(context).toMatchObject({ errorCode: "GW_ERR_UPSTREAM_ERROR", loggedStatus: 502 });
    expect(context.usage).toEqual({ ...unknownUsage, outputTokens: 2, estimated: true });
  });

  it("passes chunks through a guard, sends what it still holds before [DONE], and records usage", async () => {
    const guard: StreamChunkGuard = {
      chunk: (chunk) => [{ ...chunk, seen: true }],
      end: () => [{ held: "tail" }],
    };
    const { output, context } = await relay(pieces(recorded, 13), false, guard);
    const sent = events(output);
    // The usage-only chunk is dropped (not asked for) and the held chunk added.
    expect(sent).toHaveLength(events(recorded).length - 1 + 1);
    expect(sent.slice(0, -2).every((event) => event.includes('"seen":true'))).toBe(true);
    expect(sent.slice(-2)).toEqual(['data: {"held":"tail"}', "data: [DONE]"]);
    expect(context.usage.inputTokens).toBe(9);
  });

  it("ends the stream with the guard's policy error and no [DONE], releasing the upstream", async () => {
    let calls = 0;
    const guard: StreamChunkGuard = {
      chunk: (chunk) => {
        calls += 1;
        if (calls === 3)
          throw new GatewayError("GW_ERR_POLICY_OUTPUT_BLOCKED", "Blocked by safety policy 'p'.");
        return [chunk];
      },
      end: () => [],
    };
    const { output, context, released } = await relay(pieces(recorded, 11), true, guard);
    expect(released).toBe(true);
    expect(events(output)).toHaveLength(3);
    expect(events(output).at(-1)).toBe('data: {"error":{"code":"GW_ERR_POLICY_OUTPUT_BLOCKED"}}');
    expect(context).toMatchObject({ errorCode: "GW_ERR_POLICY_OUTPUT_BLOCKED", loggedStatus: 422 });
  });
});
