import { readFileSync } from "node:fs";

/** Reads a recorded Gemini wire fixture from `__fixtures__/`. */
export function geminiFixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
}

export function geminiJsonFixture(name: string): Record<string, unknown> {
  return JSON.parse(geminiFixture(name)) as Record<string, unknown>;
}

/** The `data:` payloads of an SSE text (Gemini separates events with CRLF CRLF). */
export function sseData(text: string): string[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((frame) => frame.trim() !== "")
    .map((frame) => /^data: (.*)$/m.exec(frame)?.[1] ?? "");
}
