import { describe, expect, it } from "vitest";
import { holdBackStream } from "./stream-hold-back.js";

const encoder = new TextEncoder();
const role =
  'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}\n\n';
const hello = 'data: {"choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}\n\n';

function upstream(parts: readonly string[], end: "done" | "cut" | "hang" = "done") {
  let returned = false;
  async function* generate(): AsyncGenerator<Uint8Array> {
    try {
      for (const part of parts) yield encoder.encode(part);
      if (end === "cut") throw new Error("socket hang up");
      if (end === "hang") await new Promise(() => undefined);
    } finally {
      returned = true;
    }
  }
  return { stream: generate(), wasReturned: () => returned };
}

async function text(stream: AsyncIterable<Uint8Array>): Promise<string> {
  let all = "";
  for await (const bytes of stream) all += new TextDecoder().decode(bytes);
  return all;
}

describe("stream hold-back", () => {
  it("commits at the first content event and replays every byte in order", async () => {
    const source = upstream([role, hello.slice(0, 20), hello.slice(20), "data: [DONE]\n\n"]);
    const held = await holdBackStream(source.stream, 60_000);
    expect(held).toMatchObject({ kind: "commit", contentBegan: true });
    if (held.kind !== "commit") return;
    expect(await text(held.stream)).toBe(`${role}${hello}data: [DONE]\n\n`);
  });

  it("fails, and releases the upstream, on a cut, an error event or a malformed event before content", async () => {
    const cut = await holdBackStream(upstream([role], "cut").stream, 60_000);
    expect(cut).toMatchObject({ kind: "failed", error: { code: "GW_ERR_STREAM_INTERRUPTED" } });

    const errorEvent = upstream([role, 'data: {"error":{"message":"overloaded"}}\n\n', hello]);
    expect(await holdBackStream(errorEvent.stream, 60_000)).toMatchObject({
      kind: "failed",
      error: { code: "GW_ERR_UPSTREAM_ERROR" },
    });
    expect(errorEvent.wasReturned()).toBe(true);

    const malformed = upstream(['data: {"choices":[\n\n', hello]);
    expect(await holdBackStream(malformed.stream, 60_000)).toMatchObject({
      kind: "failed",
      error: { code: "GW_ERR_UPSTREAM_INVALID_RESPONSE" },
    });

    const endedEarly = await holdBackStream(upstream([role]).stream, 60_000);
    expect(endedEarly).toMatchObject({ kind: "failed", error: { code: "GW_ERR_STREAM_INTERRUPTED" } });
  });

  it("commits without content once the hold-back time passes, keeping the pending read", async () => {
    const source = upstream([role], "hang");
    const held = await holdBackStream(source.stream, 5);
    expect(held).toMatchObject({ kind: "commit", contentBegan: false });
    if (held.kind !== "commit") return;
    const iterator = held.stream[Symbol.asyncIterator]();
    expect(new TextDecoder().decode((await iterator.next()).value)).toBe(role);
    await iterator.return?.();
  });
  it("reads Responses streams: a delta commits, an error event or a failed response before it fails", async () => {
    const created = 'event: response.created\ndata: {"type":"response.created","sequence_number":0}\n\n';
    const delta =
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hi","sequence_number":1}\n\n';
    const committed = await holdBackStream(upstream([created, delta], "hang").stream, 60_000);
    expect(committed).toMatchObject({ kind: "commit", contentBegan: true });
    const error =
      'event: error\ndata: {"type":"error","code":"server_error","message":"boom","param":null,"sequence_number":1}\n\n';
    const failedEvent = await holdBackStream(upstream([created, error], "hang").stream, 60_000);
    expect(failedEvent).toMatchObject({ kind: "failed", error: { code: "GW_ERR_UPSTREAM_ERROR" } });
    const failedResponse =
      'event: response.failed\ndata: {"type":"response.failed","response":{"error":{"code":"server_error","message":"model crashed"}},"sequence_number":1}\n\n';
    const failed = await holdBackStream(upstream([created, failedResponse], "hang").stream, 60_000);
    expect(failed).toMatchObject({ kind: "failed", error: { code: "GW_ERR_UPSTREAM_ERROR" } });
    if (failed.kind === "failed") expect(failed.error.message).toContain("model crashed");
  });
});
