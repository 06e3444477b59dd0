import type { AdminRole } from "../core/admin-role.js";

/**
 * What an admin API route may require. `prompts.write` is reserved: a feature that adds routes for it only
 * declares a route with the permission.
 */
export const adminPermissions = [
  "tenancy.read",
  "teams.write",
  "projects.write",
  "keys.write",
  "levers.write",
  "prompts.write",
  "reports.read",
  "requests.read",
] as const;

export type AdminPermission = (typeof adminPermissions)[number];

/** The roles matrix (docs/tenancy.md shows it; `role-permissions.test.ts` keeps the two in step). */
export const rolePermissions: Readonly<Record<AdminRole, readonly AdminPermission[]>> = {
  admin: adminPermissions,
  operator: ["tenancy.read", "levers.write", "reports.read", "requests.read"],
  developer: ["tenancy.read", "keys.write", "prompts.write", "reports.read"],
  viewer: ["tenancy.read", "reports.read"],
};

/** Admin and operator act across teams; developer and viewer only within the team of their own key. */
export const organisationWideRoles: readonly AdminRole[] = ["admin", "operator"];

const roleRank: Readonly<Record<AdminRole, number>> = { admin: 3, operator: 2, developer: 1, viewer: 0 };

export function roleHasPermission(role: AdminRole, permission: AdminPermission): boolean {
  return rolePermissions[role].includes(permission);
}

/** A key may grant, or manage keys holding, only roles no stronger than its own. */
export function roleCovers(holder: AdminRole, other: AdminRole | null): boolean {
  return other === null || roleRank[other] <= roleRank[holder];
}
