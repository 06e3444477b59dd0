/**
 * Admin API roles, weakest last. `admin` may do everything; `operator` pulls incident levers and reads
 * everything; `developer` manages its own team's keys and prompts; `viewer` reads its own team. The master
 * key is `admin`. What each role may do is data: `src/control/role-permissions.ts`.
 */
export const adminRoles = ["admin", "operator", "developer", "viewer"] as const;

export type AdminRole = (typeof adminRoles)[number];

export function isAdminRole(value: string): value is AdminRole {
  return (adminRoles as readonly string[]).includes(value);
}
