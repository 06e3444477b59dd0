import OpenAI from "openai";
import { it } from "vitest";
import { startSimulatorServer } from "./simulator-server.js";
it("x", async () => {
  const s = await startSimulatorServer({ latencyMs: 200, tokensPerSecond: 50, models: [], faults: [], embeddingDimensions: 4 }, {});
  const c = new OpenAI({ baseURL: s.url + "/v1", apiKey: "x", maxRetries: 0 });
  const t0 = performance.now();
  const stream = await c.chat.completions.create({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true, stream_options: { include_usage: true } }, { headers: { "x-simulator-output-tokens": "50" } });
  let first = 0; let n = 0;
  for await (const ch of stream) { if (!first) first = performance.now() - t0; n++; }
  console.log("TIMING ttft", Math.round(first), "total", Math.round(performance.now() - t0), "chunks", n);
  await s.close();
});
