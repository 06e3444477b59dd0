import { type AdminRole, isAdminRole } from "../core/admin-role.js";
import type { VirtualKeyRecord } from "../core/ports/key-store.js";
import type { CliAdminServices } from "./admin-cli-services.js";
import { withAdminServices } from "./admin-cli-services.js";
import { type ConfigSourceOptions, printLine } from "./cli-context.js";
import { parseDurationMs, parseExpiry } from "./parse-duration.js";

export interface KeysCreateOptions extends ConfigSourceOptions {
  readonly name: string;
  readonly models?: string;
  readonly endpoints?: string;
  readonly metadata?: string;
  readonly team?: string;
  readonly project?: string;
  readonly user?: string;
  readonly role?: string;
  readonly expires?: string;
  readonly json?: boolean;
}

/** `team=search,project=ranker` → `{ team: "search", project: "ranker" }`; anything else is refused. */
export function parseKeyMetadata(pairs: string): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const pair of pairs.split(",")) {
    const match = /^\s*([A-Za-z][\w.-]*)=([^,=]*?)\s*$/.exec(pair);
    if (match?.[1] === undefined || match[2] === undefined || match[2] === "") {
      throw new Error(`--metadata: expected name=value pairs separated by commas; got "${pair}"`);
    }
    metadata[match[1]] = match[2];
  }
  return metadata;
}

export function parseRoleOption(value: string): AdminRole | null {
  if (value === "none") return null;
  if (!isAdminRole(value))
    throw new Error(`--role: one of admin, operator, developer, viewer, none; got ${value}`);
  return value;
}

/** `--team` and `--project` by id or name (a project name within `--team` when both are given). */
async function ownerOf(
  services: CliAdminServices,
  team: string | undefined,
  project: string | undefined,
): Promise<{ teamId?: string; projectId?: string }> {
  const teamId = team === undefined ? undefined : (await services.tenancy.findTeam(team)).id;
  if (project === undefined) return teamId === undefined ? {} : { teamId };
  const projectId = (await services.tenancy.findProject(project, teamId)).id;
  return { projectId };
}

export function keysCreateCommand(options: KeysCreateOptions): Promise<void> {
  return withAdminServices(
    options,
    async (services) => {
      const { record, secret } = await services.keys.create({
        name: options.name,
        allowedModels: options.models === undefined ? [] : options.models.split(","),
        allowedEndpoints: options.endpoints === undefined ? [] : options.endpoints.split(","),
        metadata: options.metadata === undefined ? {} : parseKeyMetadata(options.metadata),
        ...(await ownerOf(services, options.team, options.project)),
        userId: options.user ?? null,
        role: options.role === undefined ? null : parseRoleOption(options.role),
        expiresAt: options.expires === undefined ? null : parseExpiry(options.expires, Date.now()),
      });
      if (options.json === true) {
        printLine(JSON.stringify({ ...publicView(record), key: secret }));
        return;
      }
      printLine(`Created key ${record.name} (id ${record.id}).`);
      printLine(`Models: ${record.allowedModels.length === 0 ? "all" : record.allowedModels.join(", ")}`);
      if (record.role !== null) printLine(`Admin role: ${record.role}`);
      if (record.expiresAt !== null) printLine(`Expires: ${new Date(record.expiresAt).toISOString()}`);
      printLine(`Key (shown once, only its hash is stored): ${secret}`);
    },
    true,
  );
}

export function keysListCommand(options: ConfigSourceOptions & { json?: boolean }): Promise<void> {
  return withAdminServices(options, async (services) => {
    const keys = await services.keys.list();
    if (options.json === true) {
      for (const key of keys) printLine(JSON.stringify(publicView(key)));
      return;
    }
    printLine(
      "id                                    prefix        name                  models            role       created               status",
    );
    for (const key of keys) {
      printLine(
        [
          key.id.padEnd(37),
          `${key.displayPrefix}…`.padEnd(13),
          key.name.slice(0, 21).padEnd(21),
          (key.allowedModels.length === 0 ? "all" : key.allowedModels.join(",")).slice(0, 17).padEnd(17),
          (key.role ?? "-").padEnd(10),
          new Date(key.createdAt).toISOString().slice(0, 19).padEnd(21),
          statusOf(key, Date.now()),
        ].join(" "),
      );
    }
  });
}

export interface KeysRotateOptions extends ConfigSourceOptions {
  readonly grace: string;
  readonly json?: boolean;
}

export function keysRotateCommand(id: string, options: KeysRotateOptions): Promise<void> {
  return withAdminServices(
    options,
    async (services) => {
      const { record, secret } = await services.keys.rotate(id, parseDurationMs(options.grace));
      if (options.json === true) {
        printLine(JSON.stringify({ ...publicView(record), key: secret }));
        return;
      }
      printLine(`Rotated key ${record.name} (id ${record.id}).`);
      printLine(`The old secret works until ${new Date(record.previousKeyExpiresAt ?? 0).toISOString()}.`);
      printLine(`New key (shown once, only its hash is stored): ${secret}`);
    },
    true,
  );
}

export interface KeysUpdateOptions extends ConfigSourceOptions {
  readonly name?: string;
  readonly models?: string;
  readonly endpoints?: string;
  readonly role?: string;
  readonly expires?: string;
  readonly user?: string;
  readonly json?: boolean;
}

export function keysUpdateCommand(id: string, options: KeysUpdateOptions): Promise<void> {
  return withAdminServices(
    options,
    async (services) => {
      const updated = await services.keys.update(id, {
        name: options.name,
        allowedModels: options.models?.split(","),
        allowedEndpoints: options.endpoints?.split(","),
        role: options.role === undefined ? undefined : parseRoleOption(options.role),
        userId: options.user,
        expiresAt:
          options.expires === undefined
            ? undefined
            : options.expires === "never"
              ? null
              : parseExpiry(options.expires, Date.now()),
      });
      if (options.json === true) printLine(JSON.stringify(publicView(updated)));
      else printLine(`Updated key ${updated.name} (id ${updated.id}).`);
    },
    true,
  );
}

export function keysRevokeCommand(idOrPrefix: string, options: ConfigSourceOptions): Promise<void> {
  return withAdminServices(
    options,
    async (services) => {
      const revoked = await services.keys.revoke(idOrPrefix.replace(/…$/, ""));
      if (revoked === undefined) throw new Error(`no key with id or prefix ${idOrPrefix}`);
      printLine(`Revoked key ${revoked.name} (id ${revoked.id}).`);
    },
    true,
  );
}

function statusOf(key: VirtualKeyRecord, nowMs: number): string {
  if (key.revokedAt !== null) return `revoked ${new Date(key.revokedAt).toISOString().slice(0, 19)}`;
  if (key.expiresAt !== null && key.expiresAt <= nowMs) return "expired";
  return "active";
}

function publicView(key: VirtualKeyRecord) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: key.id,
    name: key.name,
    prefix: key.displayPrefix,
    models: key.allowedModels,
    endpoints: key.allowedEndpoints,
    metadata: key.metadata,
    teamId: key.teamId,
    projectId: key.projectId,
    userId: key.userId,
    role: key.role,
    expiresAt: iso(key.expiresAt),
    previousKeyExpiresAt: iso(key.previousKeyExpiresAt),
    createdAt: new Date(key.createdAt).toISOString(),
    revokedAt: iso(key.revokedAt),
  };
}
