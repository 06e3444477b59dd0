import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminCall, adminClient, expectOk } from "../support/admin-api-client.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

let gateway: TestGateway;
let master: AdminCall;

beforeAll(async () => {
  gateway = await startTestGateway(
    [
      "providers: [{ name: sim, type: simulator }]",
      "models: [{ name: gpt-4o-mini, targets: [{ provider: sim, model: gpt-4o-mini }] }]",
      "keys: { refreshIntervalMs: 60000 }",
    ].join("\n"),
  );
  master = adminClient(gateway.url, testMasterKey);
}, 60_000);

afterAll(async () => {
  await gateway?.close();
});

interface Report {
  readonly team: string | null;
  readonly rows: readonly {
    readonly group: readonly string[];
    readonly requests: number;
    readonly costUsd: number;
  }[];
  readonly total: { readonly requests: number; readonly inputTokens: number; readonly costUsd: number };
}

describe("GET /admin/v1/reports/usage", () => {
  it("reports a team's requests, tokens and cost per end user, and keeps developers to their own team", async () => {
    const search = String((await expectOk(master("POST", "/admin/v1/teams", { name: "search" }))).id);
    const billing = String((await expectOk(master("POST", "/admin/v1/teams", { name: "billing" }))).id);
    const project = String(
      (await expectOk(master("POST", "/admin/v1/projects", { teamId: search, name: "ranker" }))).id,
    );
    const otherProject = String(
      (await expectOk(master("POST", "/admin/v1/projects", { teamId: billing, name: "invoices" }))).id,
    );
    const worker = await expectOk(
      master("POST", "/admin/v1/keys", { name: "ranker-bot", projectId: project }),
    );
    const developer = await expectOk(
      master("POST", "/admin/v1/keys", { name: "billing-dev", projectId: otherProject, role: "developer" }),
    );
    const client = gateway.client(String(worker.key));
    for (const user of ["alice", "alice", "bob"]) {
      await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: `hello from ${user}` }],
        user,
      });
    }
    await gateway.running.flushRequestLog();

    const report = await expectOk<Report>(
      master("GET", `/admin/v1/reports/usage?teamId=${search}&groupBy=team,user`),
    );
    expect(report.team).toBe("search");
    expect(report.total.requests).toBe(3);
    expect(report.total.inputTokens).toBeGreaterThan(0);
    expect(report.total.costUsd).toBeGreaterThan(0);
    const perUser = report.rows.map((row) => [row.group[0], row.requests]).sort();
    expect(perUser).toEqual([
      ["search", 1],
      ["search", 2],
    ]);
    expect(report.rows.every((row) => row.group[1] !== "alice" && row.group[1] !== "bob")).toBe(true);

    const asDeveloper = adminClient(gateway.url, String(developer.key));
    expect((await asDeveloper("GET", `/admin/v1/reports/usage?teamId=${search}`)).status).toBe(404);
    const own = await expectOk<Report>(asDeveloper("GET", "/admin/v1/reports/usage"));
    expect(own.team).toBe("billing");
    expect(own.total.requests).toBe(0);
    const bad = await master("GET", "/admin/v1/reports/usage?groupBy=colour");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: "GW_ERR_ADMIN_INVALID_REQUEST", param: "groupBy" } });
  });
});
