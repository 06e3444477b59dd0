import { describe, expect, it } from "vitest";
import { virtualKeyRecord } from "../../../test/support/virtual-key-record.js";
import { unknownUsage } from "../../core/cost/token-usage.js";
import type { LimitRuleConfig, LimitsConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { noAttribution } from "../../core/key-attribution.js";
import type {
  LimitAcquisition,
  LimitCheck,
  LimitSettlement,
  RateLimitStore,
} from "../../core/ports/rate-limit-store.js";
import type { Caller, GatewayContext, GatewayResponse, TokenUsage } from "../gateway-context.js";
import { loadTokenCounter } from "../limits/load-token-counter.js";
import { RateLimiter } from "../limits/rate-limiter.js";
import { hashEndUser } from "../limits/request-attribution.js";
import { rateLimitStep } from "./rate-limit-step.js";

/** A store stand-in that admits everything (or fails) and records what it was asked. */
class RecordingStore implements RateLimitStore {
  readonly acquired: LimitCheck[][] = [];
  readonly settled: LimitSettlement[][] = [];
  constructor(readonly failure?: Error) {}
  acquire(checks: readonly LimitCheck[]): Promise<LimitAcquisition> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.acquired.push([...checks]);
    const states = checks.map((check) => ({
      remaining: check.limit - check.cost,
      resetMs: 1000,
      windowStart: 7,
    }));
    return Promise.resolve({ admitted: true, states });
  }
  settle(settlements: readonly LimitSettlement[]): Promise<void> {
    this.settled.push([...settlements]);
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const countTokens = await loadTokenCounter();
const events = { refused: [] as string[], storeErrors: 0 };
const emptyScope = { keys: [], teams: [], projects: [], models: [] };

function limiter(
  rules: LimitRuleConfig[],
  store: RateLimitStore,
  onStoreError: "allow" | "refuse" = "allow",
) {
  const config: LimitsConfig = { rules, defaultMaxOutputTokens: 100, onStoreError };
  return new RateLimiter(config, store, {
    countTokens,
    onRefused: (rule, kind) => events.refused.push(`${rule}/${kind}`),
    onStoreError: () => {
      events.storeErrors += 1;
    },
  });
}

function keyCaller(metadata: Record<string, string>): Caller {
  const key = virtualKeyRecord({ id: "key-1", name: "search-bot", metadata });
  return {
    kind: "virtual-key",
    key,
    attribution: {
      ...noAttribution,
      teamName: metadata.team ?? null,
      projectName: metadata.project ?? null,
    },
  };
}

function contextFor(
  caller: Caller,
  headers: Record<string, string> = {},
  body: Record<string, unknown> = {},
) {
  return {
    requestId: "req-1",
    operation: "chat.completions",
    headers,
    body: { model: "gpt-4o", messages: [{ role: "user", content: "hello" }], ...body },
    caller,
    modelRequested: "gpt-4o",
    usage: unknownUsage,
    errorCode: null,
    ttftMs: null,
    rateLimit: undefined,
    signal: { aborted: false },
    attempts: [],
    target: null,
    policy: undefined,
  } as unknown as GatewayContext;
}

const ok: GatewayResponse = {
  kind: "body",
  status: 200,
  headers: { "content-type": "application/json" },
  body: "",
};

async function run(rateLimiter: RateLimiter, context: GatewayContext) {
  let reachedNext = false;
  const response = await rateLimitStep(rateLimiter)(context, () => {
    reachedNext = true;
    return Promise.resolve(ok);
  });
  return { response, reachedNext };
}

describe("rateLimitStep", () => {
  it("counts by the dimensions a rule names, hashing the end user, and skips rules whose values are missing", async () => {
    const store = new RecordingStore();
    const rules: LimitRuleConfig[] = [
      { name: "team-user", per: ["team", "user", "model"], scope: emptyScope, requestsPerMinute: 5 },
      { name: "project", per: ["project"], scope: emptyScope, concurrentRequests: 2 },
    ];
    const context = contextFor(keyCaller({ team: "search & ranking" }), {
      "x-switchyard-user": "ann@example.com",
    });
    const { response, reachedNext } = await run(limiter(rules, store), context);
    expect(reachedNext).toBe(true);
    expect(store.acquired).toEqual([
      [
        {
          rule: "team-user",
          kind: "requests",
          bucket: `team-user:team=search%20%26%20ranking:user=${hashEndUser("ann@example.com")}:model=gpt-4o`,
          limit: 5,
          windowMs: 60_000,
          cost: 1,
        },
      ],
    ]);
    expect(JSON.stringify(store.acquired)).not.toContain("ann@example.com");
    expect(response.headers).toMatchObject({
      "content-type": "application/json",
      "x-ratelimit-limit-requests": "5",
      "x-ratelimit-remaining-requests": "4",
    });
  });

  it("applies a rule only to its scope: key ids or names, teams, models", async () => {
    const store = new RecordingStore();
    const rules: LimitRuleConfig[] = [
      { name: "by-name", per: [], scope: { ...emptyScope, keys: ["search-bot"] }, requestsPerMinute: 1 },
      { name: "other-team", per: [], scope: { ...emptyScope, teams: ["ads"] }, requestsPerMinute: 1 },
      { name: "other-model", per: [], scope: { ...emptyScope, models: ["o3"] }, requestsPerMinute: 1 },
      { name: "master-only", per: ["key"], scope: { ...emptyScope, keys: ["master"] }, requestsPerMinute: 1 },
    ];
    await run(limiter(rules, store), contextFor(keyCaller({ team: "search" })));
    await run(limiter(rules, store), contextFor({ kind: "master" }));
    expect(store.acquired.map((checks) => checks.map((check) => check.bucket))).toEqual([
      ["by-name"],
      ["master-only:key=master"],
    ]);
  });

  it("settles once: refunds a reservation when the call failed before output, corrects it with reported usage", async () => {
    const rules: LimitRuleConfig[] = [
      { name: "tpm", per: [], scope: emptyScope, tokensPerMinute: 10_000, concurrentRequests: 3 },
    ];
    const settle = async (usage: TokenUsage, errorCode: string | null, ttftMs: number | null) => {
      const store = new RecordingStore();
      const context = contextFor({ kind: "master" });
      await run(limiter(rules, store), context);
      const reserved = store.acquired[0]?.find((check) => check.kind === "tokens")?.cost ?? 0;
      Object.assign(context, { usage, errorCode, ttftMs });
      context.rateLimit?.settle(context);
      context.rateLimit?.settle(context);
      return { settled: store.settled, reserved };
    };
    const failed = await settle(unknownUsage, "GW_ERR_UPSTREAM_ERROR", null);
    expect(failed.reserved).toBe(3 + 3 + 1 + 100);
    expect(failed.settled).toEqual([
      [
        { kind: "tokens", bucket: "tpm", windowStart: 7, delta: -failed.reserved },
        { kind: "concurrent", bucket: "tpm" },
      ],
    ]);
    const served = await settle({ ...unknownUsage, inputTokens: 8, outputTokens: 20 }, null, 5);
    expect(served.settled[0]?.[0]).toEqual({
      kind: "tokens",
      bucket: "tpm",
      windowStart: 7,
      delta: 28 - 107,
    });
    const cut = await settle(unknownUsage, "GW_ERR_STREAM_INTERRUPTED", 5);
    expect(cut.settled).toEqual([[{ kind: "concurrent", bucket: "tpm" }]]);
  });

  it("lets requests through when the store fails and onStoreError is allow; refuses with 503 when refuse", async () => {
    const rules: LimitRuleConfig[] = [{ name: "r", per: [], scope: emptyScope, requestsPerMinute: 1 }];
    const broken = new RecordingStore(new Error("connection refused"));
    const before = events.storeErrors;
    const allowed = await run(limiter(rules, broken, "allow"), contextFor({ kind: "master" }));
    expect(allowed.reachedNext).toBe(true);
    const refused = await run(limiter(rules, broken, "refuse"), contextFor({ kind: "master" }));
    expect(refused.reachedNext).toBe(false);
    expect(refused.response.kind === "error" && refused.response.error.code).toBe(
      "GW_ERR_RATE_LIMIT_UNAVAILABLE",
    );
    expect(events.storeErrors - before).toBe(2);
  });

  it("keeps the limit headers on errors raised after admission", async () => {
    const store = new RecordingStore();
    const rules: LimitRuleConfig[] = [{ name: "r", per: [], scope: emptyScope, requestsPerMinute: 9 }];
    const context = contextFor({ kind: "master" });
    const response = await rateLimitStep(limiter(rules, store))(context, () =>
      Promise.reject(new GatewayError("GW_ERR_UPSTREAM_TIMEOUT", "slow")),
    );
    expect(response.kind).toBe("error");
    expect(response.headers["x-ratelimit-remaining-requests"]).toBe("8");
    expect(context.errorCode).toBe("GW_ERR_UPSTREAM_TIMEOUT");
  });
});
