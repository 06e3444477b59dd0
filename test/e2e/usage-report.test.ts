import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { KeyService } from "../../src/control/key-service.js";
import { assertBuilt, cleanEnvironment, runCli } from "../support/cli-process.js";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

let upstream: MockOpenAiUpstream;
let gateway: TestGateway;
let reportDir: string;

beforeAll(async () => {
  assertBuilt();
  upstream = await startMockOpenAiUpstream();
  gateway = await startTestGateway(mockUpstreamConfig(upstream.url));
  reportDir = mkdtempSync(path.join(tmpdir(), "switchyard-report-"));
  const keys = new KeyService(gateway.running.storage.keys);
  const traffic: [Record<string, string>, string | undefined, number][] = [
    [{ team: "search", project: "ranker" }, "feature=search,env=prod", 3],
    [{ team: "ads", project: "bidder" }, "feature=bids", 2],
  ];
  for (const [metadata, tags, count] of traffic) {
    const { secret } = await keys.create({ name: `${metadata.team}-key`, metadata });
    const client = gateway.client(secret);
    await vi.waitFor(() => client.models.list(), { timeout: 5_000, interval: 20 });
    for (let index = 0; index < count; index += 1) {
      await client.chat.completions.create(
        { model: "gpt-4o", messages: [{ role: "user", content: "hello" }] },
        tags === undefined ? {} : { headers: { "x-switchyard-tags": tags } },
      );
    }
  }
  await gateway.running.flushRequestLog();
  writeFileSync(
    path.join(reportDir, "switchyard.yaml"),
    `${mockUpstreamConfig(upstream.url)}\nstorage: { url: "sqlite:${path.join(gateway.dataDir, "switchyard.db")}" }\n`,
  );
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
  rmSync(reportDir, { recursive: true, force: true });
});

const report = (...args: string[]) =>
  runCli(
    ["report", "usage", "--config", "switchyard.yaml", "--from", "1h", ...args],
    cleanEnvironment(),
    reportDir,
  );

// One fixture request costs 93·2.50 + 1024·1.25 + 46·10 = 1972.5 per million USD and saves 1280 per million.
describe("switchyard report usage", () => {
  it("prints CSV grouped by team, project and model", async () => {
    const result = await report("--format", "csv", "--group-by", "team,project,model");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\r\n");
    expect(lines[0]).toBe(
      "team,project,model,requests,errors,input_tokens,output_tokens,cached_tokens,cache_write_tokens," +
        "reasoning_tokens,estimated,cost_usd,cache_savings_usd,unpriced,p95_latency_ms",
    );
    const [search, ads] = [lines[1], lines[2]].map((line) => (line ?? "").split(","));
    expect(search?.slice(0, 11)).toEqual([
      "search",
      "ranker",
      "gpt-4o",
      "3",
      "0",
      "3351",
      "138",
      "3072",
      "0",
      "0",
      "0",
    ]);
    expect(Number(search?.[11])).toBeCloseTo(3 * 0.0019725, 6);
    expect(Number(search?.[12])).toBeCloseTo(3 * 0.00128, 6);
    expect(ads?.slice(0, 11)).toEqual([
      "ads",
      "bidder",
      "gpt-4o",
      "2",
      "0",
      "2234",
      "92",
      "2048",
      "0",
      "0",
      "0",
    ]);
    expect(Number(ads?.[11])).toBeCloseTo(2 * 0.0019725, 6);
    expect(lines[3]).toMatch(/^total,,,5,0,/);
  });

  it("groups by tag: a request counts under each of its tags", async () => {
    const result = await report("--format", "md", "--group-by", "tag");
    expect(result.code).toBe(0);
    const requestsByTag = Object.fromEntries(
      result.stdout
        .split("\n")
        .filter((line) => /^\| (env|feature)=/.test(line))
        .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| /, "")))
        .map((cells) => [cells[0], Number(cells[1])]),
    );
    expect(requestsByTag).toEqual({ "env=prod": 3, "feature=search": 3, "feature=bids": 2 });
  });

  it("writes a self-contained HTML report with SVG charts", async () => {
    const file = path.join(reportDir, "report.html");
    const result = await report("--format", "html", "--group-by", "team", "--output", file);
    expect(result.code).toBe(0);
    const html = readFileSync(file, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain("Cost by group (USD)");
    expect(html).toContain("<td>search</td>");
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it("refuses an unknown format or dimension", async () => {
    expect((await report("--format", "pdf")).stderr).toMatch(/--format/);
    expect((await report("--group-by", "colour")).stderr).toMatch(/colour/);
  });
});
