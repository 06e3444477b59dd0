import { randomUUID } from "node:crypto";
import type { AuditEntry } from "../core/audit-record.js";
import { GatewayError } from "../core/gateway-error.js";
import {
  type ProjectRecord,
  type TeamRecord,
  TenancyConflictError,
  type TenancyStore,
} from "../core/ports/tenancy-store.js";
import { canSeeTeam, type Principal, requirePermission } from "./principal.js";

/** Where changes are recorded; the actor is the principal's. */
export interface AuditSink {
  record(entry: AuditEntry): Promise<unknown>;
}

/** Teams and projects as one principal may see and change them (admin API and CLI). */
export class TenancyService {
  readonly #store: TenancyStore;
  readonly #principal: Principal;
  readonly #audit: AuditSink | undefined;

  constructor(store: TenancyStore, principal: Principal, audit?: AuditSink) {
    this.#store = store;
    this.#principal = principal;
    this.#audit = audit;
  }

  async listTeams(): Promise<TeamRecord[]> {
    requirePermission(this.#principal, "tenancy.read");
    return (await this.#store.listTeams()).filter((team) => canSeeTeam(this.#principal, team.id));
  }

  async getTeam(id: string): Promise<TeamRecord> {
    requirePermission(this.#principal, "tenancy.read");
    return this.#visibleTeam(id);
  }

  /** A team by id, or by its unique name (for the CLI). */
  async findTeam(idOrName: string): Promise<TeamRecord> {
    requirePermission(this.#principal, "tenancy.read");
    const byId = await this.#store.getTeam(idOrName);
    const team = byId ?? (await this.#store.listTeams()).find((candidate) => candidate.name === idOrName);
    if (team === undefined || !canSeeTeam(this.#principal, team.id)) throw notFound("team", idOrName);
    return team;
  }

  async createTeam(name: string): Promise<TeamRecord> {
    requirePermission(this.#principal, "teams.write");
    const team = await this.#store
      .createTeam({ id: randomUUID(), name: checkedName(name), createdAt: Date.now() })
      .catch(asConflict);
    await this.#record({ action: "team.create", target: `team:${team.id}`, after: { ...team } });
    return team;
  }

  async renameTeam(id: string, name: string): Promise<TeamRecord> {
    requirePermission(this.#principal, "teams.write");
    const before = await this.#visibleTeam(id);
    const team = await this.#store.renameTeam(id, checkedName(name), Date.now()).catch(asConflict);
    if (team === undefined) throw notFound("team", id);
    await this.#record({
      action: "team.rename",
      target: `team:${id}`,
      before: { ...before },
      after: { ...team },
    });
    return team;
  }

  async deleteTeam(id: string): Promise<void> {
    requirePermission(this.#principal, "teams.write");
    const before = await this.#visibleTeam(id);
    if (!(await this.#store.deleteTeam(id).catch(asConflict))) throw notFound("team", id);
    await this.#record({ action: "team.delete", target: `team:${id}`, before: { ...before } });
  }

  async listProjects(teamId?: string): Promise<ProjectRecord[]> {
    requirePermission(this.#principal, "tenancy.read");
    return (await this.#store.listProjects()).filter(
      (project) =>
        canSeeTeam(this.#principal, project.teamId) && (teamId === undefined || project.teamId === teamId),
    );
  }

  async getProject(id: string): Promise<ProjectRecord> {
    requirePermission(this.#principal, "tenancy.read");
    return this.#visibleProject(id);
  }

  /** A project by id, or by name within a team (for the CLI). */
  async findProject(idOrName: string, teamId?: string): Promise<ProjectRecord> {
    requirePermission(this.#principal, "tenancy.read");
    const byId = await this.#store.getProject(idOrName);
    const matches =
      byId === undefined
        ? (await this.#store.listProjects()).filter(
            (project) => project.name === idOrName && (teamId === undefined || project.teamId === teamId),
          )
        : [byId];
    const visible = matches.filter((project) => canSeeTeam(this.#principal, project.teamId));
    if (visible.length > 1) {
      throw new GatewayError(
        "GW_ERR_ADMIN_INVALID_REQUEST",
        `${visible.length} teams have a project named "${idOrName}"; name the team too.`,
      );
    }
    const project = visible[0];
    if (project === undefined) throw notFound("project", idOrName);
    return project;
  }

  async createProject(teamId: string, name: string): Promise<ProjectRecord> {
    requirePermission(this.#principal, "projects.write");
    await this.#visibleTeam(teamId);
    const project = await this.#store
      .createProject({ id: randomUUID(), teamId, name: checkedName(name), createdAt: Date.now() })
      .catch(asConflict);
    await this.#record({ action: "project.create", target: `project:${project.id}`, after: { ...project } });
    return project;
  }

  async renameProject(id: string, name: string): Promise<ProjectRecord> {
    requirePermission(this.#principal, "projects.write");
    const before = await this.#visibleProject(id);
    const project = await this.#store.renameProject(id, checkedName(name), Date.now()).catch(asConflict);
    if (project === undefined) throw notFound("project", id);
    await this.#record({
      action: "project.rename",
      target: `project:${id}`,
      before: { ...before },
      after: { ...project },
    });
    return project;
  }

  async deleteProject(id: string): Promise<void> {
    requirePermission(this.#principal, "projects.write");
    const before = await this.#visibleProject(id);
    if (!(await this.#store.deleteProject(id).catch(asConflict))) throw notFound("project", id);
    await this.#record({ action: "project.delete", target: `project:${id}`, before: { ...before } });
  }

  async #visibleTeam(id: string): Promise<TeamRecord> {
    const team = await this.#store.getTeam(id);
    if (team === undefined || !canSeeTeam(this.#principal, team.id)) throw notFound("team", id);
    return team;
  }

  async #visibleProject(id: string): Promise<ProjectRecord> {
    const project = await this.#store.getProject(id);
    if (project === undefined || !canSeeTeam(this.#principal, project.teamId)) throw notFound("project", id);
    return project;
  }

  async #record(change: Omit<AuditEntry, "actor">): Promise<void> {
    await recordChange(this.#audit, this.#principal, change);
  }
}

/** The change is already stored; a failed audit write says so rather than looking like a failed change. */
export async function recordChange(
  audit: AuditSink | undefined,
  principal: Principal,
  change: Omit<AuditEntry, "actor">,
): Promise<void> {
  if (audit === undefined) return;
  try {
    await audit.record({ ...change, actor: principal.actor });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${change.action} of ${change.target} was applied, but its audit record failed: ${message}`,
      {
        cause: error,
      },
    );
  }
}

export function notFound(kind: "team" | "project" | "key", id: string): GatewayError {
  return new GatewayError("GW_ERR_ADMIN_NOT_FOUND", `No ${kind} ${id}.`);
}

function asConflict(error: unknown): never {
  if (error instanceof TenancyConflictError) {
    throw new GatewayError("GW_ERR_ADMIN_CONFLICT", error.message, { cause: error });
  }
  throw error;
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed.length > 200) {
    throw new GatewayError("GW_ERR_ADMIN_INVALID_REQUEST", "A name must have 1 to 200 characters.", {
      param: "name",
    });
  }
  return trimmed;
}
