import { z } from "zod";
import { adminRoles } from "../../core/admin-role.js";
import type { VirtualKeyRecord } from "../../core/ports/key-store.js";
import type { ProjectRecord, TeamRecord } from "../../core/ports/tenancy-store.js";

const isoTime = z.iso.datetime({ offset: true }).describe("ISO 8601 date-time");
export const idParam = z.string().min(1).max(200);

export const errorResponse = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().describe("A GW_ERR_* code from docs/errors.md"),
    }),
  })
  .meta({ id: "Error" });

export const team = z
  .object({ id: z.string(), name: z.string(), createdAt: isoTime, updatedAt: isoTime })
  .meta({ id: "Team" });

export const project = z
  .object({ id: z.string(), teamId: z.string(), name: z.string(), createdAt: isoTime, updatedAt: isoTime })
  .meta({ id: "Project" });

export const role = z.enum(adminRoles);

export const key = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe("The first characters of the secret"),
    status: z.enum(["active", "expired", "revoked"]),
    allowedModels: z.array(z.string()).describe("Empty: every model"),
    allowedEndpoints: z.array(z.string()).describe("Empty: every endpoint"),
    metadata: z.record(z.string(), z.string()),
    teamId: z.string().nullable(),
    projectId: z.string().nullable(),
    userId: z.string().nullable(),
    role: role.nullable().describe("Null: a data-plane key, refused by the admin API"),
    expiresAt: isoTime.nullable(),
    previousKeyExpiresAt: isoTime.nullable().describe("After a rotation: until when the old secret works"),
    createdAt: isoTime,
    updatedAt: isoTime,
    revokedAt: isoTime.nullable(),
  })
  .meta({ id: "Key" });

export const keyWithSecret = key
  .extend({ key: z.string().describe("The secret, shown only in this response") })
  .meta({ id: "KeyWithSecret" });

export const list = <Item extends z.ZodType>(item: Item) => z.object({ data: z.array(item) });

export const deleted = z.object({ id: z.string(), deleted: z.literal(true) }).meta({ id: "Deleted" });

export const teamParams = z.object({ teamId: idParam });
export const projectParams = z.object({ projectId: idParam });
export const keyParams = z.object({ keyId: idParam });

const name = z.string().min(1).max(200);
const stringList = z.array(z.string().min(1).max(200)).max(500);
const tags = z.record(z.string().regex(/^[A-Za-z][\w.-]*$/), z.string().max(500));

export const nameBody = z.object({ name }).strict();
export const createProjectBody = z.object({ teamId: idParam, name }).strict();
export const createKeyBody = z
  .object({
    name,
    projectId: idParam.optional().describe("The key's project; its team follows"),
    teamId: idParam.optional().describe("The key's team, for a key without a project"),
    userId: z.string().min(1).max(200).optional(),
    role: role.nullable().optional(),
    allowedModels: stringList.optional(),
    allowedEndpoints: stringList.optional().describe("chat.completions, embeddings"),
    metadata: tags.optional(),
    expiresAt: isoTime.nullable().optional(),
  })
  .strict();
export const updateKeyBody = z
  .object({
    name: name.optional(),
    projectId: idParam.nullable().optional().describe("Move the key to this project (and its team)"),
    teamId: idParam
      .nullable()
      .optional()
      .describe("Without projectId: make it a team-level key of this team"),
    userId: z.string().min(1).max(200).nullable().optional(),
    role: role.nullable().optional(),
    allowedModels: stringList.optional(),
    allowedEndpoints: stringList.optional(),
    metadata: tags.optional(),
    expiresAt: isoTime.nullable().optional(),
  })
  .strict();
export const rotateKeyBody = z
  .object({
    gracePeriodSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86_400)
      .default(3600)
      .describe("How long the old secret keeps working"),
  })
  .strict();

export const projectsQuery = z.object({ teamId: idParam.optional() }).strict();
export const keysQuery = z.object({ teamId: idParam.optional(), projectId: idParam.optional() }).strict();

export const whoami = z
  .object({
    role: role,
    keyId: z.string().nullable(),
    keyName: z.string().nullable(),
    teamId: z.string().nullable(),
    teamName: z.string().nullable(),
    projectId: z.string().nullable(),
    projectName: z.string().nullable(),
    userId: z.string().nullable(),
    permissions: z.array(z.string()),
    allTeams: z.boolean().describe("Whether the role acts across teams"),
  })
  .meta({ id: "WhoAmI" });

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function teamView(record: TeamRecord): z.input<typeof team> {
  return { ...record, createdAt: iso(record.createdAt), updatedAt: iso(record.updatedAt) };
}

export function projectView(record: ProjectRecord): z.input<typeof project> {
  return { ...record, createdAt: iso(record.createdAt), updatedAt: iso(record.updatedAt) };
}

export function keyView(record: VirtualKeyRecord, nowMs = Date.now()): z.input<typeof key> {
  return {
    id: record.id,
    name: record.name,
    prefix: record.displayPrefix,
    status:
      record.revokedAt !== null
        ? "revoked"
        : record.expiresAt !== null && record.expiresAt <= nowMs
          ? "expired"
          : "active",
    allowedModels: [...record.allowedModels],
    allowedEndpoints: [...record.allowedEndpoints],
    metadata: { ...record.metadata },
    teamId: record.teamId,
    projectId: record.projectId,
    userId: record.userId,
    role: record.role,
    expiresAt: isoOrNull(record.expiresAt),
    previousKeyExpiresAt: isoOrNull(record.previousKeyExpiresAt),
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    revokedAt: isoOrNull(record.revokedAt),
  };
}

/** `2026-01-01T00:00:00Z` → epoch ms; null and undefined pass through. */
export function epochMs<T extends string | null | undefined>(value: T): number | Exclude<T, string> {
  return (typeof value === "string" ? Date.parse(value) : value) as number | Exclude<T, string>;
}
