import type { Kysely, Selectable } from "kysely";
import {
  type ProjectRecord,
  type TeamRecord,
  TenancyConflictError,
  type TenancyStore,
} from "../core/ports/tenancy-store.js";
import type { ProjectsTable, StorageDatabase, TeamsTable } from "./storage-database.js";

/** `TenancyStore` over the shared Kysely schema; identical for SQLite and Postgres. */
export class SqlTenancyStore implements TenancyStore {
  readonly #db: Kysely<StorageDatabase>;

  constructor(db: Kysely<StorageDatabase>) {
    this.#db = db;
  }

  async createTeam(team: Omit<TeamRecord, "updatedAt">): Promise<TeamRecord> {
    const row = await this.#db
      .insertInto("teams")
      .values({ id: team.id, name: team.name, created_at: team.createdAt, updated_at: team.createdAt })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(conflictAs(`a team named "${team.name}" (or with id ${team.id}) exists already`));
    return toTeam(row);
  }

  async listTeams(): Promise<TeamRecord[]> {
    const rows = await this.#db.selectFrom("teams").selectAll().orderBy("name").orderBy("id").execute();
    return rows.map(toTeam);
  }

  async getTeam(id: string): Promise<TeamRecord | undefined> {
    const row = await this.#db.selectFrom("teams").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : toTeam(row);
  }

  async renameTeam(id: string, name: string, atMs: number): Promise<TeamRecord | undefined> {
    const row = await this.#db
      .updateTable("teams")
      .set({ name, updated_at: atMs })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst()
      .catch(conflictAs(`a team named "${name}" exists already`));
    return row === undefined ? undefined : toTeam(row);
  }

  deleteTeam(id: string): Promise<boolean> {
    return this.#db.transaction().execute(async (transaction) => {
      const project = await transaction
        .selectFrom("projects")
        .select("id")
        .where("team_id", "=", id)
        .executeTakeFirst();
      const key = await transaction
        .selectFrom("virtual_keys")
        .select("id")
        .where("team_id", "=", id)
        .executeTakeFirst();
      if (project !== undefined || key !== undefined) {
        throw new TenancyConflictError(`team ${id} still has projects or keys; remove or move them first`);
      }
      const result = await transaction.deleteFrom("teams").where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }

  async createProject(project: Omit<ProjectRecord, "updatedAt">): Promise<ProjectRecord> {
    const row = await this.#db
      .insertInto("projects")
      .values({
        id: project.id,
        team_id: project.teamId,
        name: project.name,
        created_at: project.createdAt,
        updated_at: project.createdAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(
        conflictAs(`team ${project.teamId} does not exist or already has a project named "${project.name}"`),
      );
    return toProject(row);
  }

  async listProjects(): Promise<ProjectRecord[]> {
    const rows = await this.#db
      .selectFrom("projects")
      .selectAll()
      .orderBy("team_id")
      .orderBy("name")
      .orderBy("id")
      .execute();
    return rows.map(toProject);
  }

  async getProject(id: string): Promise<ProjectRecord | undefined> {
    const row = await this.#db.selectFrom("projects").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : toProject(row);
  }

  async renameProject(id: string, name: string, atMs: number): Promise<ProjectRecord | undefined> {
    const row = await this.#db
      .updateTable("projects")
      .set({ name, updated_at: atMs })
      .where("id", "=", id)
      .returningAll()
      .executeTakeFirst()
      .catch(conflictAs(`the team already has a project named "${name}"`));
    return row === undefined ? undefined : toProject(row);
  }

  deleteProject(id: string): Promise<boolean> {
    return this.#db.transaction().execute(async (transaction) => {
      const key = await transaction
        .selectFrom("virtual_keys")
        .select("id")
        .where("project_id", "=", id)
        .executeTakeFirst();
      if (key !== undefined) {
        throw new TenancyConflictError(`project ${id} still has keys; move or remove them first`);
      }
      const result = await transaction.deleteFrom("projects").where("id", "=", id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    });
  }
}

/** Unique and foreign-key violations in either dialect become `TenancyConflictError`; others pass through. */
function conflictAs(message: string): (error: unknown) => never {
  return (error) => {
    const code = (error as { code?: unknown } | null)?.code;
    const constraintCodes = [
      "23505", // Postgres unique_violation
      "23503", // Postgres foreign_key_violation
      "SQLITE_CONSTRAINT_UNIQUE",
      "SQLITE_CONSTRAINT_PRIMARYKEY",
      "SQLITE_CONSTRAINT_FOREIGNKEY",
    ];
    if (typeof code === "string" && constraintCodes.includes(code)) {
      throw new TenancyConflictError(message, { cause: error });
    }
    throw error;
  };
}

function toTeam(row: Selectable<TeamsTable>): TeamRecord {
  return { id: row.id, name: row.name, createdAt: row.created_at, updatedAt: row.updated_at };
}

function toProject(row: Selectable<ProjectsTable>): ProjectRecord {
  return {
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
