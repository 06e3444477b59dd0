import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { adminRoles } from "../core/admin-role.js";
import { adminPermissions, roleCovers, roleHasPermission } from "./role-permissions.js";

const documentedMatrix = readFileSync(new URL("../../docs/tenancy.md", import.meta.url), "utf8")
  .split("\n")
  .map((line) => /^\| `([a-z]+\.[a-z]+)` \| (yes|no) \| (yes|no) \| (yes|no) \| (yes|no) \|$/.exec(line))
  .filter((match): match is RegExpExecArray => match !== null)
  .map((match) => [match[1], match.slice(2, 6).map((cell) => cell === "yes")]);

describe("the roles matrix", () => {
  it("is documented in docs/tenancy.md, permission for permission and role for role", () => {
    expect(adminRoles).toEqual(["admin", "operator", "developer", "viewer"]);
    const fromCode = adminPermissions.map((permission) => [
      permission,
      adminRoles.map((role) => roleHasPermission(role, permission)),
    ]);
    expect(documentedMatrix).toEqual(fromCode);
  });

  it("orders roles so none may grant a stronger one", () => {
    expect(roleCovers("developer", "developer")).toBe(true);
    expect(roleCovers("developer", null)).toBe(true);
    expect(roleCovers("developer", "operator")).toBe(false);
    expect(roleCovers("operator", "admin")).toBe(false);
    expect(roleCovers("admin", "admin")).toBe(true);
    expect(roleCovers("viewer", "developer")).toBe(false);
  });
});
