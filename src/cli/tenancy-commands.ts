import type { ProjectRecord, TeamRecord } from "../core/ports/tenancy-store.js";
import { withAdminServices } from "./admin-cli-services.js";
import { type ConfigSourceOptions, printLine } from "./cli-context.js";

type JsonOption = ConfigSourceOptions & { json?: boolean };

export function teamsCreateCommand(options: JsonOption & { name: string }): Promise<void> {
  return withAdminServices(
    options,
    async ({ tenancy }) => printTeam(await tenancy.createTeam(options.name), options, "Created"),
    true,
  );
}

export function teamsListCommand(options: JsonOption): Promise<void> {
  return withAdminServices(options, async ({ tenancy }) => {
    const teams = await tenancy.listTeams();
    if (options.json === true) for (const team of teams) printLine(JSON.stringify(team));
    else for (const team of teams) printLine(`${team.id.padEnd(37)} ${team.name}`);
  });
}

export function teamsRenameCommand(team: string, options: JsonOption & { name: string }): Promise<void> {
  return withAdminServices(
    options,
    async ({ tenancy }) => {
      const found = await tenancy.findTeam(team);
      printTeam(await tenancy.renameTeam(found.id, options.name), options, "Renamed");
    },
    true,
  );
}

export function teamsDeleteCommand(team: string, options: ConfigSourceOptions): Promise<void> {
  return withAdminServices(
    options,
    async ({ tenancy }) => {
      const found = await tenancy.findTeam(team);
      await tenancy.deleteTeam(found.id);
      printLine(`Deleted team ${found.name} (id ${found.id}).`);
    },
    true,
  );
}

export function projectsCreateCommand(options: JsonOption & { team: string; name: string }): Promise<void> {
  return withAdminServices(
    options,
    async ({ tenancy }) => {
      const team = await tenancy.findTeam(options.team);
      printProject(await tenancy.createProject(team.id, options.name), options, "Created");
    },
    true,
  );
}

export function projectsListCommand(options: JsonOption & { team?: string }): Promise<void> {
  return withAdminServices(options, async ({ tenancy }) => {
    const teamId = options.team === undefined ? undefined : (await tenancy.findTeam(options.team)).id;
    const projects = await tenancy.listProjects(teamId);
    if (options.json === true) for (const project of projects) printLine(JSON.stringify(project));
    else
      for (const project of projects)
        printLine(`${project.id.padEnd(37)} ${project.teamId.padEnd(37)} ${project.name}`);
  });
}

export function projectsRenameCommand(
  project: string,
  options: JsonOption & { name: string; team?: string },
): Promise<void> {
  return withAdminServices(
    options,
    async ({ tenancy }) => {
      const teamId = options.team === undefined ? undefined : (await tenancy.findTeam(options.team)).id;
      const found = await tenancy.findProject(project, teamId);
      printProject(await tenancy.renameProject(found.id, options.name), options, "Renamed");
    },
    true,
  );
}

export function projectsDeleteCommand(
  project: string,
  options: ConfigSourceOptions & { team?: string },
): Promise<void> {
  return withAdminServices(
    options,
    async ({ tenancy }) => {
      const teamId = options.team === undefined ? undefined : (await tenancy.findTeam(options.team)).id;
      const found = await tenancy.findProject(project, teamId);
      await tenancy.deleteProject(found.id);
      printLine(`Deleted project ${found.name} (id ${found.id}).`);
    },
    true,
  );
}

function printTeam(team: TeamRecord, options: JsonOption, verb: string): void {
  printLine(options.json === true ? JSON.stringify(team) : `${verb} team ${team.name} (id ${team.id}).`);
}

function printProject(project: ProjectRecord, options: JsonOption, verb: string): void {
  printLine(
    options.json === true ? JSON.stringify(project) : `${verb} project ${project.name} (id ${project.id}).`,
  );
}
