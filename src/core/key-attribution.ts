import type { VirtualKeyRecord } from "./ports/key-store.js";
import type { ProjectRecord, TeamRecord } from "./ports/tenancy-store.js";

/** Whom a key's traffic is attributed to, for limits, budgets and reports. Null where the key has none. */
export interface KeyAttribution {
  readonly teamId: string | null;
  readonly teamName: string | null;
  readonly projectId: string | null;
  readonly projectName: string | null;
  readonly userId: string | null;
}

export const noAttribution: KeyAttribution = Object.freeze({
  teamId: null,
  teamName: null,
  projectId: null,
  projectName: null,
  userId: null,
});

/** Teams and projects indexed for attribution; built once per refresh, never per request. */
export class TenancyDirectory {
  readonly #teamsById: ReadonlyMap<string, TeamRecord>;
  readonly #teamsByName: ReadonlyMap<string, TeamRecord>;
  readonly #projectsById: ReadonlyMap<string, ProjectRecord>;
  readonly #projects: readonly ProjectRecord[];

  constructor(teams: readonly TeamRecord[], projects: readonly ProjectRecord[]) {
    this.#teamsById = new Map(teams.map((team) => [team.id, team]));
    this.#teamsByName = new Map(teams.map((team) => [team.name, team]));
    this.#projectsById = new Map(projects.map((project) => [project.id, project]));
    this.#projects = projects;
  }

  team(id: string): TeamRecord | undefined {
    return this.#teamsById.get(id);
  }

  project(id: string): ProjectRecord | undefined {
    return this.#projectsById.get(id);
  }

  /**
   * The key's team and project from the real entities. A key created before teams existed carries
   * `team=<name>` / `project=<name>` metadata tags instead: those resolve to the team (by name) and the project
   * (by name within that team) when they exist, and otherwise stand as names without ids.
   */
  attribute(key: VirtualKeyRecord): KeyAttribution {
    const project = key.projectId === null ? undefined : this.#projectsById.get(key.projectId);
    const teamId = key.teamId ?? project?.teamId ?? null;
    let team = teamId === null ? undefined : this.#teamsById.get(teamId);
    const teamTag = key.metadata.team;
    if (teamId === null && teamTag !== undefined) team = this.#teamsByName.get(teamTag);
    let taggedProject: ProjectRecord | undefined;
    const projectTag = key.metadata.project;
    if (project === undefined && key.projectId === null && projectTag !== undefined && team !== undefined) {
      taggedProject = this.#projects.find(
        (candidate) => candidate.teamId === team?.id && candidate.name === projectTag,
      );
    }
    const resolvedProject = project ?? taggedProject;
    return {
      teamId: team?.id ?? teamId,
      teamName: team?.name ?? (teamId === null ? (teamTag ?? null) : null),
      projectId: resolvedProject?.id ?? key.projectId,
      projectName: resolvedProject?.name ?? (key.projectId === null ? (projectTag ?? null) : null),
      userId: key.userId,
    };
  }
}
