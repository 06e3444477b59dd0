import { randomUUID } from "node:crypto";
import { z } from "zod";
import { GatewayError } from "../core/gateway-error.js";
import type { Lever } from "../core/lever.js";
import type { LeverStore } from "../core/ports/lever-store.js";
import { type Principal, requirePermission } from "./principal.js";
import { type AuditSink, recordChange } from "./tenancy-service.js";

const group = z.string().trim().min(1).meta({ description: "Model group name." });
const positiveMs = z.number().int().positive();

/** A lever's kind and parameters, as the admin API and the CLI accept them. */
export const leverParamsSchema = z
  .discriminatedUnion("kind", [
    z
      .object({
        kind: z.literal("disable-target"),
        target: z
          .string()
          .regex(/^[^/\s]+\/\S+$/, "provider/model")
          .meta({ description: "provider/model" }),
      })
      .strict(),
    z.object({ kind: z.literal("force-fallback"), group }).strict(),
    z.object({ kind: z.literal("cap-max-tokens"), group, maxTokens: z.number().int().positive() }).strict(),
    z
      .object({
        kind: z.literal("timeout"),
        group,
        firstTokenMs: positiveMs.optional(),
        totalMs: positiveMs.optional(),
      })
      .strict()
      .refine((lever) => lever.firstTokenMs !== undefined || lever.totalMs !== undefined, {
        message: "a timeout lever needs firstTokenMs, totalMs or both",
      }),
    z.object({ kind: z.literal("disable-tools"), group }).strict(),
  ])
  .meta({ id: "LeverParams" });

export interface SetLever {
  /** Kind and parameters, checked against `leverParamsSchema` (GW_ERR_ADMIN_INVALID_REQUEST when wrong). */
  readonly params: unknown;
  readonly reason: string;
  /** Milliseconds from now until the lever lapses by itself; absent, it holds until cleared. */
  readonly expiresInMs?: number | undefined;
}

/**
 * Incident levers as one principal may see and change them (admin API and CLI). Every change is audited
 * (`lever.set`, `lever.clear`) with its reason; reading needs `requests.read`, changing `levers.write`.
 */
export class LeverService {
  readonly #store: LeverStore;
  readonly #principal: Principal;
  readonly #audit: AuditSink | undefined;
  readonly #now: () => number;

  constructor(store: LeverStore, principal: Principal, audit?: AuditSink, now: () => number = Date.now) {
    this.#store = store;
    this.#principal = principal;
    this.#audit = audit;
    this.#now = now;
  }

  async list(): Promise<Lever[]> {
    requirePermission(this.#principal, "requests.read");
    return this.#store.listActive(this.#now());
  }

  async set(request: SetLever): Promise<Lever> {
    requirePermission(this.#principal, "levers.write");
    const reason = checkedReason(request.reason);
    const parsed = leverParamsSchema.safeParse(request.params);
    if (!parsed.success)
      throw invalid("params", parsed.error.issues[0]?.message ?? "invalid lever parameters");
    if (request.expiresInMs !== undefined && !(request.expiresInMs > 0)) {
      throw invalid("expiresIn", "expiresIn must be a positive duration.");
    }
    const now = this.#now();
    const lever: Lever = {
      id: `lv_${randomUUID().replaceAll("-", "")}`,
      params: parsed.data,
      reason,
      actor: this.#principal.actor.display,
      createdAt: now,
      expiresAt: request.expiresInMs === undefined ? null : now + request.expiresInMs,
    };
    await this.#store.insert(lever);
    await recordChange(this.#audit, this.#principal, {
      action: "lever.set",
      target: `lever:${lever.id}`,
      reason,
      after: auditView(lever),
      occurredAt: now,
    });
    return lever;
  }

  async clear(id: string, reason: string): Promise<Lever> {
    requirePermission(this.#principal, "levers.write");
    const why = checkedReason(reason);
    const now = this.#now();
    const cleared = await this.#store.clear(id, this.#principal.actor.display, why, now);
    if (cleared === undefined) {
      throw new GatewayError("GW_ERR_ADMIN_NOT_FOUND", `No active lever ${id}.`);
    }
    await recordChange(this.#audit, this.#principal, {
      action: "lever.clear",
      target: `lever:${id}`,
      reason: why,
      before: auditView(cleared.lever),
      occurredAt: now,
    });
    return cleared.lever;
  }
}

function auditView(lever: Lever): { [key: string]: string | number | null } {
  const params = Object.entries(lever.params).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined,
  );
  return {
    ...Object.fromEntries(params),
    reason: lever.reason,
    actor: lever.actor,
    createdAt: lever.createdAt,
    expiresAt: lever.expiresAt,
  };
}

function checkedReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === "") throw invalid("reason", "a lever change needs a reason");
  return trimmed;
}

function invalid(param: string, message: string): GatewayError {
  return new GatewayError("GW_ERR_ADMIN_INVALID_REQUEST", message, { param });
}
