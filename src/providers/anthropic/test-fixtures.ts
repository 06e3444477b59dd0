import { readFileSync } from "node:fs";

/** Reads a recorded wire fixture beside this folder's translators (`anthropic`) or the OpenAI ones. */
export function wireFixture(dialect: "anthropic" | "openai", name: string): string {
  return readFileSync(new URL(`../${dialect}/__fixtures__/${name}`, import.meta.url), "utf8");
}

export function jsonFixture(dialect: "anthropic" | "openai", name: string): Record<string, unknown> {
  return JSON.parse(wireFixture(dialect, name)) as Record<string, unknown>;
}

/** Splits SSE text into `[event name, parsed data]` pairs (OpenAI's `[DONE]` stays a string). */
export function sseEvents(text: string): [string | undefined, unknown][] {
  return text
    .split("\n\n")
    .filter((frame) => frame.trim() !== "")
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? "";
      return [event, data === "[DONE]" ? data : JSON.parse(data)];
    });
}
