import { readFileSync } from "node:fs";

/** Reads a recorded Azure OpenAI wire fixture from `__fixtures__/` beside this file. */
export function azureFixture(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
}

/** The data of each SSE frame, parsed (OpenAI's `[DONE]` stays a string). */
export function sseData(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((frame) => frame.trim() !== "")
    .map((frame) => {
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? "";
      return data === "[DONE]" ? data : JSON.parse(data);
    });
}
