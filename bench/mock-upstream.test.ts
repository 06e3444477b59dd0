import { describe, expect, it } from "vitest";
import { pacedStreamWrites, streamEvents } from "./mock-upstream.js";

const contentOf = (write: string) =>
  [...write.matchAll(/"delta":\{"content":("(?:[^"\\]|\\.)*")/g)].map((match) =>
    JSON.parse(match[1] ?? '""'),
  );

describe("pacedStreamWrites", () => {
  it.each([20, 3, 200])("paces %i content chunks, one per write, and ends like a real stream", (chunks) => {
    const writes = pacedStreamWrites(chunks);
    expect(writes).toHaveLength(chunks);
    for (const write of writes) expect(contentOf(write)).toHaveLength(1);
    expect(writes[0]?.startsWith(streamEvents[0] ?? "")).toBe(true);
    expect(writes.at(-1)?.endsWith(streamEvents.slice(-3).join(""))).toBe(true);
    const unpaced = streamEvents.flatMap(contentOf).join("");
    expect(writes.flatMap(contentOf).join("")).toBe(unpaced);
  });
});
