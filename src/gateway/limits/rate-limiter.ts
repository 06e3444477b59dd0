import type { LimitRuleConfig, LimitsConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import type {
  LimitCheck,
  LimitCheckState,
  LimitKind,
  LimitSettlement,
  RateLimitStore,
} from "../../core/ports/rate-limit-store.js";
import { countableBody } from "../countable-body.js";
import type { GatewayContext } from "../gateway-context.js";
import { estimateRequestTokens } from "./estimate-request-tokens.js";
import type { TokenCounter } from "./load-token-counter.js";
import { rateLimitHeaders } from "./rate-limit-headers.js";
import { attributeRequest, type RequestAttribution } from "./request-attribution.js";

const minuteMs = 60_000;

/** What a limiter reports, for metrics and logs: bounded values only (rule names come from the config). */
export interface RateLimiterEvents {
  readonly onRefused: (rule: string, kind: LimitKind | "too-large") => void;
  readonly onStoreError: (error: unknown) => void;
}

export interface RateLimiterOptions extends RateLimiterEvents {
  /** Counts input tokens for TPM reservations (`loadTokenCounter()`). */
  readonly countTokens: TokenCounter;
}

/** An admitted request's hold on the counters, settled once when the request is over. */
export interface RateLimitLease {
  readonly headers: Readonly<Record<string, string>>;
  /** Corrects the token reservations with the usage in `context` and frees concurrency slots; never rejects. */
  settle(context: GatewayContext): void;
}

export type RateLimitDecision =
  | { readonly kind: "admitted"; readonly lease: RateLimitLease }
  | { readonly kind: "refused"; readonly error: GatewayError; readonly headers: Record<string, string> }
  /** No rule applies, or the store failed and `onStoreError` is `allow`. */
  | { readonly kind: "unlimited" };

interface RuleCheck extends LimitCheck {
  readonly rule: string;
}

/** Turns the configured rules into counter checks for each request and reads the store's answer. */
export class RateLimiter {
  #config: LimitsConfig;
  readonly #store: RateLimitStore;
  readonly #events: RateLimiterOptions;

  constructor(config: LimitsConfig, store: RateLimitStore, options: RateLimiterOptions) {
    this.#config = config;
    this.#store = store;
    this.#events = options;
  }

  /** New rules apply to requests that start afterwards; counters are kept by rule name. */
  replaceConfig(config: LimitsConfig): void {
    this.#config = config;
  }

  /** Closes the counter store (the Redis connection). */
  close(): Promise<void> {
    return this.#store.close();
  }

  async admit(context: GatewayContext): Promise<RateLimitDecision> {
    const config = this.#config;
    const attribution = attributeRequest(
      context.caller,
      context.modelRequested,
      context.headers,
      context.body,
    );
    const checks = checksFor(config, context, attribution, this.#events.countTokens);
    if (checks.length === 0) return { kind: "unlimited" };
    const tooLarge = checks.find((check) => check.kind === "tokens" && check.cost > check.limit);
    if (tooLarge !== undefined) {
      this.#events.onRefused(tooLarge.rule, "too-large");
      return {
        kind: "refused",
        headers: {},
        error: new GatewayError(
          "GW_ERR_RATE_LIMIT_REQUEST_TOO_LARGE",
          `Request too large for rate limit '${tooLarge.rule}': it may use up to ${tooLarge.cost} tokens ` +
            `(input plus max_tokens) and the limit is ${tooLarge.limit} tokens per minute. Lower max_tokens or the input.`,
        ),
      };
    }
    let acquisition: Awaited<ReturnType<RateLimitStore["acquire"]>>;
    try {
      acquisition = await this.#store.acquire(checks, context.requestId);
    } catch (error) {
      this.#events.onStoreError(error);
      if (config.onStoreError === "allow") return { kind: "unlimited" };
      return {
        kind: "refused",
        headers: {},
        error: new GatewayError("GW_ERR_RATE_LIMIT_UNAVAILABLE", "Rate limits cannot be checked right now.", {
          retryAfterSeconds: 1,
        }),
      };
    }
    const headers = rateLimitHeaders(checks, acquisition.states);
    if (!acquisition.admitted) {
      const refused = checks[acquisition.refusedIndex] as RuleCheck;
      this.#events.onRefused(refused.rule, refused.kind);
      const retryAfterSeconds = Math.max(1, Math.ceil(acquisition.retryAfterMs / 1000));
      return {
        kind: "refused",
        headers: { ...headers, "retry-after-ms": String(Math.max(0, acquisition.retryAfterMs)) },
        error: new GatewayError("GW_ERR_RATE_LIMIT_EXCEEDED", refusalMessage(refused, retryAfterSeconds), {
          retryAfterSeconds,
        }),
      };
    }
    return { kind: "admitted", lease: this.#lease(checks, acquisition.states, context.requestId, headers) };
  }

  #lease(
    checks: readonly RuleCheck[],
    states: readonly LimitCheckState[],
    leaseId: string,
    headers: Record<string, string>,
  ): RateLimitLease {
    let settled = false;
    return {
      headers,
      settle: (context) => {
        if (settled) return;
        settled = true;
        const settlements = settlementsFor(checks, states, context);
        if (settlements.length === 0) return;
        this.#store.settle(settlements, leaseId).catch((error: unknown) => this.#events.onStoreError(error));
      },
    };
  }
}

function checksFor(
  config: LimitsConfig,
  context: GatewayContext,
  attribution: RequestAttribution,
  countTokens: TokenCounter,
): RuleCheck[] {
  const checks: RuleCheck[] = [];
  let tokenCost: number | undefined;
  for (const rule of config.rules) {
    if (!inScope(rule, attribution)) continue;
    const bucket = bucketOf(rule, attribution);
    if (bucket === undefined) continue;
    if (rule.requestsPerMinute !== undefined) {
      checks.push({
        rule: rule.name,
        kind: "requests",
        bucket,
        limit: rule.requestsPerMinute,
        windowMs: minuteMs,
        cost: 1,
      });
    }
    if (rule.tokensPerMinute !== undefined) {
      if (tokenCost === undefined) {
        const estimate = estimateRequestTokens(
          context.operation,
          countableBody(context.operation, context.body),
          config.defaultMaxOutputTokens,
          countTokens,
        );
        tokenCost = estimate.inputTokens + estimate.outputTokens;
      }
      checks.push({
        rule: rule.name,
        kind: "tokens",
        bucket,
        limit: rule.tokensPerMinute,
        windowMs: minuteMs,
        cost: tokenCost,
      });
    }
    if (rule.concurrentRequests !== undefined) {
      checks.push({
        rule: rule.name,
        kind: "concurrent",
        bucket,
        limit: rule.concurrentRequests,
        windowMs: 0,
        cost: 1,
      });
    }
  }
  return checks;
}

function inScope(rule: LimitRuleConfig, attribution: RequestAttribution): boolean {
  const { scope } = rule;
  if (
    scope.keys.length > 0 &&
    !scope.keys.includes(attribution.keyId) &&
    (attribution.keyName === undefined || !scope.keys.includes(attribution.keyName))
  ) {
    return false;
  }
  if (scope.teams.length > 0 && (attribution.team === undefined || !scope.teams.includes(attribution.team)))
    return false;
  if (
    scope.projects.length > 0 &&
    (attribution.project === undefined || !scope.projects.includes(attribution.project))
  ) {
    return false;
  }
  return (
    scope.models.length === 0 || (attribution.model !== undefined && scope.models.includes(attribution.model))
  );
}

/** `rule:dimension=value:…`; undefined when the request lacks a value the rule counts by. */
function bucketOf(rule: LimitRuleConfig, attribution: RequestAttribution): string | undefined {
  let bucket = rule.name;
  for (const dimension of rule.per) {
    const value =
      dimension === "key"
        ? attribution.keyId
        : dimension === "user"
          ? attribution.endUser
          : attribution[dimension];
    if (value === undefined) return undefined;
    bucket += `:${dimension}=${encodeURIComponent(value)}`;
  }
  return bucket;
}

function settlementsFor(
  checks: readonly RuleCheck[],
  states: readonly LimitCheckState[],
  context: GatewayContext,
): LimitSettlement[] {
  const settlements: LimitSettlement[] = [];
  const actual = actualTokens(context);
  for (const [index, check] of checks.entries()) {
    if (check.kind === "concurrent") settlements.push({ kind: "concurrent", bucket: check.bucket });
    if (check.kind !== "tokens") continue;
    const delta = (actual ?? check.cost) - check.cost;
    if (delta === 0) continue;
    const windowStart = (states[index] as LimitCheckState).windowStart;
    settlements.push({ kind: "tokens", bucket: check.bucket, windowStart, delta });
  }
  return settlements;
}

/**
 * Tokens the request really used: the provider's usage when it reported one; nothing when it failed before
 * any output reached the client; otherwise (usage missing, stream cut) the reservation stands.
 */
function actualTokens(context: GatewayContext): number | undefined {
  const { inputTokens, outputTokens } = context.usage;
  if (inputTokens !== null) return inputTokens + (outputTokens ?? 0);
  if (context.errorCode !== null && context.ttftMs === null) return 0;
  return undefined;
}

function refusalMessage(check: RuleCheck, retryAfterSeconds: number): string {
  const what =
    check.kind === "requests"
      ? `${check.limit} requests per minute`
      : check.kind === "tokens"
        ? `${check.limit} tokens per minute (this request reserves ${check.cost})`
        : `${check.limit} concurrent requests`;
  return `Rate limit '${check.rule}' reached: ${what}. Retry after ${retryAfterSeconds}s.`;
}
