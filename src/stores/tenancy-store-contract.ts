import { describe, expect, it } from "vitest";
import type { NewVirtualKey } from "../core/ports/key-store.js";
import type { Storage } from "../core/ports/storage.js";
import { TenancyConflictError } from "../core/ports/tenancy-store.js";

const T0 = 1_700_000_000_000;

function keyIn(teamId: string | null, projectId: string | null): NewVirtualKey {
  return {
    id: `key_${teamId}_${projectId}`,
    name: "k",
    keyHash: `hash_${teamId}_${projectId}`,
    displayPrefix: "sy-k",
    allowedModels: [],
    allowedEndpoints: [],
    metadata: {},
    teamId,
    projectId,
    userId: null,
    role: null,
    expiresAt: null,
    createdAt: T0,
  };
}

/** TenancyStore part of the storage contract; `openFresh` gives an empty storage closed after each test. */
export function describeTenancyStoreContract(openFresh: () => Promise<Storage>): void {
  describe("teams and projects", () => {
    it("creates, gets, lists by name and renames teams", async () => {
      const { tenancy } = await openFresh();
      const search = await tenancy.createTeam({ id: "team_s", name: "search", createdAt: T0 });
      const ads = await tenancy.createTeam({ id: "team_a", name: "ads — 広告", createdAt: T0 + 1 });
      expect(search).toEqual({ id: "team_s", name: "search", createdAt: T0, updatedAt: T0 });
      expect(await tenancy.listTeams()).toEqual([ads, search]);
      expect(await tenancy.getTeam("team_s")).toEqual(search);
      expect(await tenancy.getTeam("search")).toBeUndefined();
      const renamed = await tenancy.renameTeam("team_s", "retrieval", T0 + 5);
      expect(renamed).toEqual({ ...search, name: "retrieval", updatedAt: T0 + 5 });
      expect(await tenancy.renameTeam("team_404", "x", T0 + 6)).toBeUndefined();
    });

    it("refuses a duplicate team name or id with TenancyConflictError", async () => {
      const { tenancy } = await openFresh();
      await tenancy.createTeam({ id: "team_1", name: "one", createdAt: T0 });
      await tenancy.createTeam({ id: "team_2", name: "two", createdAt: T0 });
      await expect(tenancy.createTeam({ id: "team_3", name: "one", createdAt: T0 })).rejects.toBeInstanceOf(
        TenancyConflictError,
      );
      await expect(tenancy.createTeam({ id: "team_1", name: "x", createdAt: T0 })).rejects.toBeInstanceOf(
        TenancyConflictError,
      );
      await expect(tenancy.renameTeam("team_2", "one", T0 + 1)).rejects.toBeInstanceOf(TenancyConflictError);
      expect((await tenancy.listTeams()).map((team) => team.name)).toEqual(["one", "two"]);
    });

    it("creates projects in a team, unique by name within the team only", async () => {
      const { tenancy } = await openFresh();
      await tenancy.createTeam({ id: "team_1", name: "one", createdAt: T0 });
      await tenancy.createTeam({ id: "team_2", name: "two", createdAt: T0 });
      const p1 = await tenancy.createProject({ id: "p1", teamId: "team_1", name: "ranker", createdAt: T0 });
      const p2 = await tenancy.createProject({ id: "p2", teamId: "team_2", name: "ranker", createdAt: T0 });
      expect(p1).toEqual({ id: "p1", teamId: "team_1", name: "ranker", createdAt: T0, updatedAt: T0 });
      await expect(
        tenancy.createProject({ id: "p3", teamId: "team_1", name: "ranker", createdAt: T0 }),
      ).rejects.toBeInstanceOf(TenancyConflictError);
      await expect(
        tenancy.createProject({ id: "p4", teamId: "team_404", name: "orphan", createdAt: T0 }),
      ).rejects.toBeInstanceOf(TenancyConflictError);
      expect(await tenancy.listProjects()).toEqual([p1, p2]);
      expect(await tenancy.getProject("p2")).toEqual(p2);
      expect(await tenancy.renameProject("p2", "indexer", T0 + 9)).toEqual({
        ...p2,
        name: "indexer",
        updatedAt: T0 + 9,
      });
      expect(await tenancy.renameProject("p404", "x", T0)).toBeUndefined();
    });

    it("deletes a project or team only once nothing belongs to it", async () => {
      const storage = await openFresh();
      const { tenancy, keys } = storage;
      await tenancy.createTeam({ id: "team_1", name: "one", createdAt: T0 });
      await tenancy.createProject({ id: "p1", teamId: "team_1", name: "ranker", createdAt: T0 });
      await keys.create(keyIn("team_1", "p1"));
      await expect(tenancy.deleteProject("p1")).rejects.toBeInstanceOf(TenancyConflictError);
      await expect(tenancy.deleteTeam("team_1")).rejects.toBeInstanceOf(TenancyConflictError);
      await keys.update("key_team_1_p1", { projectId: null }, T0 + 1);
      expect(await tenancy.deleteProject("p1")).toBe(true);
      expect(await tenancy.deleteProject("p1")).toBe(false);
      await expect(tenancy.deleteTeam("team_1")).rejects.toBeInstanceOf(TenancyConflictError);
      await keys.update("key_team_1_p1", { teamId: null }, T0 + 2);
      expect(await tenancy.deleteTeam("team_1")).toBe(true);
      expect(await tenancy.deleteTeam("team_1")).toBe(false);
      expect(await tenancy.listTeams()).toEqual([]);
    });
  });
}
