import { GatewayError } from "../core/gateway-error.js";
import { type AttemptOptions, type AttemptResult, attemptUpstream } from "./attempt-upstream.js";
import type { GatewayHandler } from "./compose-steps.js";
import type { AttemptReason, AttemptRecord, GatewayContext } from "./gateway-context.js";
import { type LeverTimeouts, smallest } from "./lever-cache.js";
import { replySurfaceFor } from "./policy/chat-surfaces.js";
import type { GroupResilience, Resilience } from "./resilience/resilience.js";
import { retryDelayMs } from "./resilience/retry-delay.js";
import type { ResolvedTarget } from "./route-table.js";
import { occupyTarget, recordAttemptOutcome } from "./target-stats.js";
import { outcomeHeaders, parseJson, successHeaders, withOutcomeHeaders } from "./upstream-exchange.js";

export { outcomeHeaders };

export interface ProxyOptions extends AttemptOptions {
  /** The failure-handling state in force (read per request, so a reload can swap it). */
  readonly resilience: () => Resilience;
}

/**
 * Same-dialect passthrough: the client's body goes upstream with only the model, the target's params and
 * `stream_options.include_usage` rewritten; the upstream's bytes come back unchanged (streams event by event).
 * Targets are tried in order while nothing has reached the client; see `sendToTargets`.
 */
export function proxyToUpstream(options: ProxyOptions): GatewayHandler {
  const send = sendToTargets(options);
  return async (context) => {
    const response = await send(context);
    const policy = context.policy;
    if (policy === undefined || !policy.watchesOutput || response.kind !== "body" || response.status >= 400) {
      return response;
    }
    const surface = replySurfaceFor(context.operation);
    if (surface === undefined) return response;
    const parsed = parseJson(typeof response.body === "string" ? Buffer.from(response.body) : response.body);
    if (parsed === null || typeof parsed !== "object") return response;
    const guarded = surface.guardBody(parsed as Record<string, unknown>, policy, context.body);
    return {
      ...response,
      headers: successHeaders(context, "application/json"),
      body: JSON.stringify(guarded),
    };
  };
}

/**
 * Walks the route's targets in order. A target whose circuit breaker is open is skipped. A failed attempt is
 * retried on the same target (backoff with full jitter, or the upstream's requested delay) when its failure
 * class is in `retryOn`, retries are left and the retry budget allows; otherwise the next target is tried when
 * the class is in `fallbackOn`. The last failure is answered when no target is left.
 */
function sendToTargets(options: ProxyOptions): GatewayHandler {
  return async (context) => {
    const targets = context.route?.targets ?? [];
    if (targets.length === 0)
      throw new GatewayError("GW_ERR_GATEWAY_INTERNAL", "The model group has no targets.");
    const resilience = options.resilience();
    const groupName = context.route?.groupName ?? "";
    const group = tightened(resilience.forGroup(groupName), context.leverTimeouts);
    resilience.budget.recordRequest();
    let lastFailure: FailedAttempt | undefined;
    let shortestCooldownMs = Number.POSITIVE_INFINITY;
    for (const target of targets) {
      const breaker = resilience.breakers.for(target.id);
      let failedHere: FailedAttempt | undefined;
      for (let retry = 0; ; retry += 1) {
        if (!withinDeadline(context, group, 0)) {
          throw new GatewayError(
            "GW_ERR_REQUEST_DEADLINE_EXCEEDED",
            `The request did not complete within ${group.totalMs ?? 0} ms.`,
          );
        }
        const reason: AttemptReason =
          retry > 0 ? "retry" : context.attempts.length > 0 ? "fallback" : "first";
        const breakerState = breaker.state;
        const began = performance.now();
        context.target = target.label;
        occupyTarget(context, target.stats);
        const result = await breaker.guard(() =>
          attemptUpstream(context, target, group, options, (broke) => breaker.reportLateOutcome(broke)),
        );
        if (result === undefined) {
          shortestCooldownMs = Math.min(shortestCooldownMs, breaker.remainingCooldownMs);
          resilience.metrics.breakerSkips.inc({ target: target.id });
          record(context, target, reason, breakerState, began, undefined);
          break;
        }
        record(context, target, reason, breakerState, began, result);
        if (result.kind === "served") {
          const served = result.response;
          return { ...served, headers: withOutcomeHeaders(served.headers, context) };
        }
        lastFailure = result;
        failedHere = result;
        resilience.metrics.attemptFailures.inc({ target: target.id, reason: result.failureClass });
        const delayMs = retryDelay(group, retry, result);
        if (delayMs === undefined || !withinDeadline(context, group, delayMs)) break;
        if (!resilience.budget.tryRetry()) {
          resilience.metrics.retryBudgetExhausted.inc({ model_group: groupName });
          break;
        }
        resilience.metrics.retries.inc({
          model_group: groupName,
          target: target.id,
          reason: result.failureClass,
        });
        await pause(delayMs, context);
      }
      if (failedHere !== undefined && !group.fallbackOn.has(failedHere.failureClass)) break;
      if (target !== targets.at(-1)) {
        const reason = context.attempts.at(-1)?.failure ?? "unknown";
        resilience.metrics.fallbacks.inc({ model_group: groupName, from_target: target.id, reason });
      }
    }
    if (lastFailure !== undefined) {
      context.errorCode = lastFailure.errorCode;
      return lastFailure.respond();
    }
    throw new GatewayError(
      "GW_ERR_UPSTREAM_CIRCUIT_OPEN",
      `Every target of model group ${groupName} is unavailable: its circuit breaker is open.`,
      { retryAfterSeconds: Math.max(1, Math.ceil(shortestCooldownMs / 1000)) },
    );
  };
}

type FailedAttempt = Extract<AttemptResult, { kind: "failed" }>;

/** The wait before retrying the same target, or undefined when it is not retried. */
function retryDelay(group: GroupResilience, retry: number, result: FailedAttempt): number | undefined {
  if (retry >= group.retries.maxRetriesPerTarget || !group.retryOn.has(result.failureClass)) return undefined;
  return retryDelayMs(group.retries, retry, result.requestedDelayMs);
}

/** The group's settings with a lever's tighter timeouts: the smaller of each wins. */
function tightened(group: GroupResilience, levers: LeverTimeouts | undefined): GroupResilience {
  if (levers === undefined) return group;
  return {
    ...group,
    firstTokenMs: smallest(group.firstTokenMs, levers.firstTokenMs),
    totalMs: smallest(group.totalMs, levers.totalMs),
  };
}

function withinDeadline(context: GatewayContext, group: GroupResilience, delayMs: number): boolean {
  return group.totalMs === undefined || performance.now() + delayMs < context.startedAt + group.totalMs;
}

function record(
  context: GatewayContext,
  target: ResolvedTarget,
  reason: AttemptReason,
  breaker: "closed" | "open" | "half-open",
  began: number,
  result: AttemptResult | undefined,
): void {
  const durationMs = performance.now() - began;
  context.upstreamMs += durationMs;
  const attempt: AttemptRecord =
    result === undefined
      ? {
          target: target.label,
          status: null,
          errorCode: null,
          durationMs,
          outcome: "skipped",
          reason,
          failure: "open-circuit",
          breaker,
        }
      : result.kind === "served"
        ? {
            target: target.label,
            status: result.response.kind === "error" ? null : result.response.status,
            errorCode: null,
            durationMs,
            outcome: "served",
            reason,
            failure: null,
            breaker,
          }
        : {
            target: target.label,
            status: result.status,
            errorCode: result.errorCode,
            durationMs,
            outcome: "failed",
            reason,
            failure: result.failureClass,
            breaker,
          };
  context.attempts.push(attempt);
  if (result === undefined) return;
  recordAttemptOutcome(target.stats, durationMs, attempt.status, attempt.errorCode, context.routes.latency);
  context.tracing?.endAttempt(attempt.status, attempt.errorCode);
}

/** Waits before a retry; rejects when the client goes away meanwhile. */
function pause(delayMs: number, context: GatewayContext): Promise<void> {
  if (delayMs <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error("client went away during a retry delay"));
    };
    const timer = setTimeout(() => {
      context.signal.removeListener("abort", onAbort);
      resolve();
    }, delayMs);
    context.signal.on("abort", onAbort);
  });
}
