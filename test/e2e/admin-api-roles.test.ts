import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AdminRole } from "../../src/core/admin-role.js";
import { adminRoutes } from "../../src/http/admin/admin-routes.js";
import { type AdminCall, adminClient, expectOk } from "../support/admin-api-client.js";
import { startTestGateway, type TestGateway, testMasterKey } from "../support/start-test-gateway.js";

/**
 * Every admin route × every kind of caller × the caller's own team and another team. The expectations are
 * written out here, independently of `role-permissions.ts`: which roles may call each route at all.
 */
const allRoles: readonly AdminRole[] = ["admin", "operator", "developer", "viewer"];
const adminOnly: readonly AdminRole[] = ["admin"];
const keyWriters: readonly AdminRole[] = ["admin", "developer"];
const incidentRoles: readonly AdminRole[] = ["admin", "operator"];
const mayCall: Readonly<Record<string, readonly AdminRole[]>> = {
  whoami: allRoles,
  listTeams: allRoles,
  createTeam: adminOnly,
  getTeam: allRoles,
  renameTeam: adminOnly,
  deleteTeam: adminOnly,
  listProjects: allRoles,
  createProject: adminOnly,
  getProject: allRoles,
  renameProject: adminOnly,
  deleteProject: adminOnly,
  listKeys: allRoles,
  createKey: keyWriters,
  getKey: allRoles,
  updateKey: keyWriters,
  rotateKey: keyWriters,
  revokeKey: keyWriters,
  getUsageReport: allRoles,
  listRequests: ["admin", "operator"],
  getRequest: ["admin", "operator"],
  listLevers: incidentRoles,
  setLever: incidentRoles,
  clearLever: incidentRoles,
};
/** Roles confined to their own team: another team's objects are absent (404) to them. */
const teamScoped: readonly AdminRole[] = ["developer", "viewer"];

type CallerName = "master" | AdminRole | "data-plane" | "anonymous";
const callers: readonly CallerName[] = ["master", ...allRoles, "data-plane", "anonymous"];
type Scope = "mine" | "theirs";

interface World {
  readonly teamMine: string;
  readonly teamTheirs: string;
  readonly projectMine: string;
  readonly projectTheirs: string;
  readonly secrets: Readonly<Record<CallerName, string | undefined>>;
}

let gateway: TestGateway;
let master: AdminCall;
let world: World;

const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

async function freshKey(projectId: string): Promise<string> {
  const created = await expectOk(master("POST", "/admin/v1/keys", { name: unique("target"), projectId }));
  return String(created.id);
}

/** A lever on a group no request of this test uses. */
const freshLever = () => ({
  kind: "cap-max-tokens",
  params: { group: unique("unused-group"), maxTokens: 64 },
  reason: "role matrix",
});

/** The request a route is called with, on fresh objects of the given team where it changes something. */
async function requestFor(
  operationId: string,
  scope: Scope,
): Promise<{ method: string; path: string; body?: unknown }> {
  const team = scope === "mine" ? world.teamMine : world.teamTheirs;
  const project = scope === "mine" ? world.projectMine : world.projectTheirs;
  switch (operationId) {
    case "whoami":
      return { method: "GET", path: "/admin/v1/whoami" };
    case "listTeams":
      return { method: "GET", path: "/admin/v1/teams" };
    case "createTeam":
      return { method: "POST", path: "/admin/v1/teams", body: { name: unique("team") } };
    case "getTeam":
      return { method: "GET", path: `/admin/v1/teams/${team}` };
    case "renameTeam":
      return { method: "PATCH", path: `/admin/v1/teams/${team}`, body: { name: unique("renamed") } };
    case "deleteTeam": {
      const empty = await expectOk(master("POST", "/admin/v1/teams", { name: unique("empty") }));
      return { method: "DELETE", path: `/admin/v1/teams/${String(empty.id)}` };
    }
    case "listProjects":
      return { method: "GET", path: "/admin/v1/projects" };
    case "createProject":
      return { method: "POST", path: "/admin/v1/projects", body: { teamId: team, name: unique("project") } };
    case "getProject":
      return { method: "GET", path: `/admin/v1/projects/${project}` };
    case "renameProject":
      return { method: "PATCH", path: `/admin/v1/projects/${project}`, body: { name: unique("renamed") } };
    case "deleteProject": {
      const empty = await expectOk(
        master("POST", "/admin/v1/projects", { teamId: team, name: unique("empty") }),
      );
      return { method: "DELETE", path: `/admin/v1/projects/${String(empty.id)}` };
    }
    case "listKeys":
      return { method: "GET", path: "/admin/v1/keys" };
    case "createKey":
      return { method: "POST", path: "/admin/v1/keys", body: { name: unique("made"), projectId: project } };
    case "getKey":
      return { method: "GET", path: `/admin/v1/keys/${await freshKey(project)}` };
    case "updateKey":
      return {
        method: "PATCH",
        path: `/admin/v1/keys/${await freshKey(project)}`,
        body: { name: unique("updated"), allowedModels: ["assistant"] },
      };
    case "rotateKey":
      return {
        method: "POST",
        path: `/admin/v1/keys/${await freshKey(project)}/rotate`,
        body: { gracePeriodSeconds: 60 },
      };
    case "revokeKey":
      return { method: "POST", path: `/admin/v1/keys/${await freshKey(project)}/revoke` };
    case "getUsageReport":
      return { method: "GET", path: `/admin/v1/reports/usage?teamId=${team}&groupBy=team,user` };
    case "listRequests":
      return { method: "GET", path: `/admin/v1/requests?team=${team}&status=2xx&limit=5` };
    case "getRequest": {
      const id = `req-${randomUUID()}`;
      await gateway.running.storage.requestLogs.appendBatch([
        {
          id,
          createdAt: Date.now(),
          keyId: null,
          endpoint: "/v1/chat/completions",
          modelRequested: "assistant",
          target: "sim/assistant",
          status: 200,
          stream: false,
          latencyMs: 1,
          ttftMs: 1,
          overheadMs: 0,
          inputTokens: 1,
          outputTokens: 1,
          cachedTokens: 0,
          errorCode: null,
          attempts: 1,
        },
      ]);
      return { method: "GET", path: `/admin/v1/requests/${id}` };
    }
    case "listLevers":
      return { method: "GET", path: "/admin/v1/levers" };
    case "setLever":
      return { method: "POST", path: "/admin/v1/levers", body: freshLever() };
    case "clearLever": {
      const set = await expectOk(master("POST", "/admin/v1/levers", freshLever()));
      return { method: "DELETE", path: `/admin/v1/levers/${String(set.id)}?reason=drill` };
    }
    default:
      throw new Error(`no request written for ${operationId}: add it to this test`);
  }
}

function expectedStatus(
  operationId: string,
  caller: CallerName,
  scope: Scope,
  successStatus: number,
): number {
  if (caller === "anonymous") return 401;
  if (caller === "data-plane") return 403;
  const role: AdminRole = caller === "master" ? "admin" : caller;
  if (!(mayCall[operationId] ?? []).includes(role)) return 403;
  const targetsATeam = ![
    "whoami",
    "listTeams",
    "listProjects",
    "listKeys",
    "createTeam",
    "deleteTeam",
    "listLevers",
    "setLever",
    "clearLever",
  ].includes(operationId);
  if (targetsATeam && scope === "theirs" && caller !== "master" && teamScoped.includes(role)) return 404;
  return successStatus;
}

const errorCodes: Readonly<Record<number, string>> = {
  401: "GW_ERR_AUTH_MISSING_KEY",
  403: "GW_ERR_ADMIN_FORBIDDEN",
  404: "GW_ERR_ADMIN_NOT_FOUND",
};

beforeAll(async () => {
  gateway = await startTestGateway(
    [
      "providers: [{ name: sim, type: simulator }]",
      "models: [{ name: assistant, targets: [{ provider: sim }] }]",
      "keys: { refreshIntervalMs: 60000 }",
    ].join("\n"),
  );
  master = adminClient(gateway.url, testMasterKey);
  const teamMine = String((await expectOk(master("POST", "/admin/v1/teams", { name: "mine" }))).id);
  const teamTheirs = String((await expectOk(master("POST", "/admin/v1/teams", { name: "theirs" }))).id);
  const projectMine = String(
    (await expectOk(master("POST", "/admin/v1/projects", { teamId: teamMine, name: "p" }))).id,
  );
  const projectTheirs = String(
    (await expectOk(master("POST", "/admin/v1/projects", { teamId: teamTheirs, name: "p" }))).id,
  );
  const secrets: Partial<Record<CallerName, string | undefined>> = {
    master: testMasterKey,
    anonymous: undefined,
  };
  for (const role of [...allRoles, null]) {
    const created = await expectOk(
      master("POST", "/admin/v1/keys", { name: `caller-${role ?? "none"}`, projectId: projectMine, role }),
    );
    secrets[role ?? "data-plane"] = String(created.key);
  }
  world = { teamMine, teamTheirs, projectMine, projectTheirs, secrets: secrets as World["secrets"] };
}, 60_000);

afterAll(async () => {
  await gateway?.close();
});

describe("the admin API's access matrix", () => {
  it("has an expectation for every registered admin route", () => {
    expect(adminRoutes.map((route) => route.operationId).sort()).toEqual(Object.keys(mayCall).sort());
  });

  for (const route of adminRoutes) {
    it(`${route.method} ${route.path} (${route.operationId}): every caller, own team and another`, async () => {
      const outcomes: string[] = [];
      const expected: string[] = [];
      for (const caller of callers) {
        for (const scope of ["mine", "theirs"] as const) {
          const request = await requestFor(route.operationId, scope);
          const call = adminClient(gateway.url, world.secrets[caller]);
          const response = await call(request.method, request.path, request.body);
          const want = expectedStatus(route.operationId, caller, scope, route.status);
          const label = `${caller}/${scope}`;
          outcomes.push(`${label}: ${response.status}`);
          expected.push(`${label}: ${want}`);
          if (response.status === want && want < 300) {
            expect(route.response.safeParse(response.body).error).toBeUndefined();
          } else if (response.status === want) {
            expect((response.body as { error: { code: string } }).error.code).toBe(errorCodes[want]);
          }
        }
      }
      expect(outcomes).toEqual(expected);
    }, 60_000);
  }

  it("lists only the caller's team to developers and viewers, and every team to admins and operators", async () => {
    for (const caller of ["master", ...allRoles] as const) {
      const call = adminClient(gateway.url, world.secrets[caller]);
      const teams = (await expectOk<{ data: { id: string }[] }>(call("GET", "/admin/v1/teams"))).data;
      const projects = (await expectOk<{ data: { teamId: string }[] }>(call("GET", "/admin/v1/projects")))
        .data;
      const keys = (await expectOk<{ data: { teamId: string | null }[] }>(call("GET", "/admin/v1/keys")))
        .data;
      const seen = new Set([
        ...teams.map((team) => team.id),
        ...projects.map((project) => project.teamId),
        ...keys.map((key) => key.teamId),
      ]);
      const scoped = caller !== "master" && teamScoped.includes(caller);
      if (scoped) expect([...seen], caller).toEqual([world.teamMine]);
      else expect([...seen], caller).toEqual(expect.arrayContaining([world.teamMine, world.teamTheirs]));
    }
  });

  it("never lets a developer grant or manage a stronger role, nor move a key to another team", async () => {
    const developer = adminClient(gateway.url, world.secrets.developer);
    for (const role of ["admin", "operator"]) {
      const refused = await developer("POST", "/admin/v1/keys", {
        name: unique("escalate"),
        projectId: world.projectMine,
        role,
      });
      expect(refused.status).toBe(403);
    }
    const mine = await freshKey(world.projectMine);
    expect((await developer("PATCH", `/admin/v1/keys/${mine}`, { role: "admin" })).status).toBe(403);
    expect(
      (await developer("PATCH", `/admin/v1/keys/${mine}`, { projectId: world.projectTheirs })).status,
    ).toBe(404);
    const strong = await expectOk(
      master("POST", "/admin/v1/keys", {
        name: unique("strong"),
        projectId: world.projectMine,
        role: "admin",
      }),
    );
    for (const action of ["rotate", "revoke"]) {
      expect((await developer("POST", `/admin/v1/keys/${String(strong.id)}/${action}`)).status).toBe(403);
    }
    expect((await developer("POST", "/admin/v1/keys", { name: unique("teamless") })).status).toBe(403);
  });

  it("tells whoami who is calling, and answers malformed input and conflicts with catalog codes", async () => {
    const developer = adminClient(gateway.url, world.secrets.developer);
    const team = await expectOk(master("GET", `/admin/v1/teams/${world.teamMine}`));
    expect(await expectOk(developer("GET", "/admin/v1/whoami"))).toMatchObject({
      role: "developer",
      teamId: world.teamMine,
      teamName: team.name,
      projectId: world.projectMine,
      allTeams: false,
    });
    const invalid = await master("POST", "/admin/v1/teams", { name: "" });
    expect(invalid).toMatchObject({ status: 400, body: { error: { code: "GW_ERR_ADMIN_INVALID_REQUEST" } } });
    const unknownField = await master("POST", "/admin/v1/teams", { name: "x", colour: "red" });
    expect(unknownField.status).toBe(400);
    const taken = await master("POST", "/admin/v1/teams", { name: team.name });
    expect(taken).toMatchObject({ status: 409, body: { error: { code: "GW_ERR_ADMIN_CONFLICT" } } });
    const busy = await master("DELETE", `/admin/v1/teams/${world.teamTheirs}`);
    expect(busy).toMatchObject({ status: 409, body: { error: { code: "GW_ERR_ADMIN_CONFLICT" } } });
    const revoked = await freshKey(world.projectMine);
    await expectOk(master("POST", `/admin/v1/keys/${revoked}/revoke`));
    const again = await master("POST", `/admin/v1/keys/${revoked}/rotate`, {});
    expect(again).toMatchObject({ status: 409, body: { error: { code: "GW_ERR_ADMIN_CONFLICT" } } });
    const badKey = adminClient(gateway.url, "sy-not-a-key");
    expect((await badKey("GET", "/admin/v1/whoami")).body).toMatchObject({
      error: { code: "GW_ERR_AUTH_INVALID_KEY" },
    });
  });
});
