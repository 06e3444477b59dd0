import { seesAllTeams } from "../../control/principal.js";
import { rolePermissions } from "../../control/role-permissions.js";
import { type AdminRoute, defineAdminRoute } from "./admin-route.js";
import {
  createProjectBody,
  deleted,
  list,
  nameBody,
  project,
  projectParams,
  projectsQuery,
  projectView,
  team,
  teamParams,
  teamView,
  whoami,
} from "./admin-schemas.js";

export const tenancyAdminRoutes: readonly AdminRoute[] = [
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/whoami",
    operationId: "whoami",
    summary: "The calling key's role, team, project and permissions",
    tag: "access",
    permission: null,
    response: whoami,
    handle: async ({ principal, attribution }) => ({
      role: principal.role,
      keyId: principal.keyId,
      keyName: principal.keyId === null ? null : principal.actor.display,
      ...attribution,
      permissions: [...rolePermissions[principal.role]],
      allTeams: seesAllTeams(principal),
    }),
  }),
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/teams",
    operationId: "listTeams",
    summary: "Teams the caller may see (developers and viewers: their own)",
    tag: "teams",
    permission: "tenancy.read",
    response: list(team),
    handle: async ({ principal, services }) => ({
      data: (await services.tenancy(principal).listTeams()).map(teamView),
    }),
  }),
  defineAdminRoute({
    method: "POST",
    path: "/admin/v1/teams",
    operationId: "createTeam",
    summary: "Create a team",
    tag: "teams",
    permission: "teams.write",
    body: nameBody,
    response: team,
    status: 201,
    handle: async ({ principal, services, body }) =>
      teamView(await services.tenancy(principal).createTeam(body.name)),
  }),
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/teams/:teamId",
    operationId: "getTeam",
    summary: "One team",
    tag: "teams",
    permission: "tenancy.read",
    params: teamParams,
    response: team,
    handle: async ({ principal, services, params }) =>
      teamView(await services.tenancy(principal).getTeam(params.teamId)),
  }),
  defineAdminRoute({
    method: "PATCH",
    path: "/admin/v1/teams/:teamId",
    operationId: "renameTeam",
    summary: "Rename a team",
    tag: "teams",
    permission: "teams.write",
    params: teamParams,
    body: nameBody,
    response: team,
    handle: async ({ principal, services, params, body }) =>
      teamView(await services.tenancy(principal).renameTeam(params.teamId, body.name)),
  }),
  defineAdminRoute({
    method: "DELETE",
    path: "/admin/v1/teams/:teamId",
    operationId: "deleteTeam",
    summary: "Delete a team that has no projects or keys left (409 otherwise)",
    tag: "teams",
    permission: "teams.write",
    params: teamParams,
    response: deleted,
    handle: async ({ principal, services, params }) => {
      await services.tenancy(principal).deleteTeam(params.teamId);
      return { id: params.teamId, deleted: true as const };
    },
  }),
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/projects",
    operationId: "listProjects",
    summary: "Projects the caller may see, optionally of one team",
    tag: "projects",
    permission: "tenancy.read",
    query: projectsQuery,
    response: list(project),
    handle: async ({ principal, services, query }) => ({
      data: (await services.tenancy(principal).listProjects(query.teamId)).map(projectView),
    }),
  }),
  defineAdminRoute({
    method: "POST",
    path: "/admin/v1/projects",
    operationId: "createProject",
    summary: "Create a project in a team",
    tag: "projects",
    permission: "projects.write",
    body: createProjectBody,
    response: project,
    status: 201,
    handle: async ({ principal, services, body }) =>
      projectView(await services.tenancy(principal).createProject(body.teamId, body.name)),
  }),
  defineAdminRoute({
    method: "GET",
    path: "/admin/v1/projects/:projectId",
    operationId: "getProject",
    summary: "One project",
    tag: "projects",
    permission: "tenancy.read",
    params: projectParams,
    response: project,
    handle: async ({ principal, services, params }) =>
      projectView(await services.tenancy(principal).getProject(params.projectId)),
  }),
  defineAdminRoute({
    method: "PATCH",
    path: "/admin/v1/projects/:projectId",
    operationId: "renameProject",
    summary: "Rename a project (it never changes team)",
    tag: "projects",
    permission: "projects.write",
    params: projectParams,
    body: nameBody,
    response: project,
    handle: async ({ principal, services, params, body }) =>
      projectView(await services.tenancy(principal).renameProject(params.projectId, body.name)),
  }),
  defineAdminRoute({
    method: "DELETE",
    path: "/admin/v1/projects/:projectId",
    operationId: "deleteProject",
    summary: "Delete a project that has no keys left (409 otherwise)",
    tag: "projects",
    permission: "projects.write",
    params: projectParams,
    response: deleted,
    handle: async ({ principal, services, params }) => {
      await services.tenancy(principal).deleteProject(params.projectId);
      return { id: params.projectId, deleted: true as const };
    },
  }),
];
