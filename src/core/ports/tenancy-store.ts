/** A team: owns projects, and through them keys; the unit of budgets, limits and reports. */
export interface TeamRecord {
  readonly id: string;
  /** Unique across teams. */
  readonly name: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A project belongs to exactly one team for life; its name is unique within that team. */
export interface ProjectRecord {
  readonly id: string;
  readonly teamId: string;
  readonly name: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Thrown by stores when a write would break a uniqueness or reference rule (the admin API answers 409). */
export class TenancyConflictError extends Error {
  override readonly name = "TenancyConflictError";
}

/** Teams and projects. Lists are small (hundreds), so callers may read them whole. */
export interface TenancyStore {
  /** Throws `TenancyConflictError` when the name is taken. */
  createTeam(team: Omit<TeamRecord, "updatedAt">): Promise<TeamRecord>;
  /** Ordered by name. */
  listTeams(): Promise<TeamRecord[]>;
  getTeam(id: string): Promise<TeamRecord | undefined>;
  /** Throws `TenancyConflictError` when the name is taken; undefined when no such team. */
  renameTeam(id: string, name: string, atMs: number): Promise<TeamRecord | undefined>;
  /** Throws `TenancyConflictError` while projects or keys still belong to it; false when no such team. */
  deleteTeam(id: string): Promise<boolean>;

  /** Throws `TenancyConflictError` when the team is unknown or the name taken within it. */
  createProject(project: Omit<ProjectRecord, "updatedAt">): Promise<ProjectRecord>;
  /** Ordered by team, then name. */
  listProjects(): Promise<ProjectRecord[]>;
  getProject(id: string): Promise<ProjectRecord | undefined>;
  renameProject(id: string, name: string, atMs: number): Promise<ProjectRecord | undefined>;
  /** Throws `TenancyConflictError` while keys still belong to it; false when no such project. */
  deleteProject(id: string): Promise<boolean>;
}
