import type { AdminRole } from "../core/admin-role.js";
import type { AuditActor } from "../core/audit-record.js";
import { GatewayError } from "../core/gateway-error.js";
import { type AdminPermission, organisationWideRoles, roleHasPermission } from "./role-permissions.js";

/** On whose behalf a control-plane service acts: a role, the team it is confined to, and who to audit. */
export interface Principal {
  readonly role: AdminRole;
  /** The team a developer or viewer is confined to; null confines them to nothing. Ignored for org-wide roles. */
  readonly teamId: string | null;
  /** The key behind the call; null for the master key and the CLI. */
  readonly keyId: string | null;
  readonly actor: AuditActor;
}

/** The master key over the admin API. */
export const masterPrincipal: Principal = {
  role: "admin",
  teamId: null,
  keyId: null,
  actor: { kind: "master-key", id: "master", display: "master key" },
};

/** Someone with the database at hand (the CLI): an admin, since they could change the rows directly. */
export function adminPrincipal(actor: AuditActor): Principal {
  return { role: "admin", teamId: null, keyId: null, actor };
}

export function seesAllTeams(principal: Principal): boolean {
  return organisationWideRoles.includes(principal.role);
}

/** Whether the principal may see things of this team (null: things of no team, visible org-wide only). */
export function canSeeTeam(principal: Principal, teamId: string | null): boolean {
  return seesAllTeams(principal) || (teamId !== null && teamId === principal.teamId);
}

export function requirePermission(principal: Principal, permission: AdminPermission): void {
  if (!roleHasPermission(principal.role, permission)) {
    throw new GatewayError(
      "GW_ERR_ADMIN_FORBIDDEN",
      `The ${principal.role} role may not do this (it needs ${permission}).`,
    );
  }
}
