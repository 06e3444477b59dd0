import type { CancelSignal } from "../core/cancellation.js";
import { unknownUsage } from "../core/cost/token-usage.js";
import { defaultResilienceConfig, type TraceContentConfig } from "../core/gateway-config.js";
import { GatewayError, isGatewayError } from "../core/gateway-error.js";
import type { ClientDialect, UpstreamOperation } from "../core/ports/provider-adapter.js";
import type { RequestTracer } from "../core/ports/request-tracer.js";
import { newRequestId } from "../core/request-id.js";
import type { SloRecorder } from "../core/slo-sample.js";
import type { BudgetGuard } from "./budget/budget-guard.js";
import { composeSteps, type GatewayHandler, type GatewayStep } from "./compose-steps.js";
import type { CostAccountant } from "./cost/cost-accountant.js";
import { attributionOf } from "./cost/request-attribution.js";
import type { Caller, GatewayContext, GatewayResponse, IncomingHeaders } from "./gateway-context.js";
import type { GatewayMetrics } from "./gateway-metrics.js";
import type { KeyCache } from "./key-cache.js";
import type { LeverCache } from "./lever-cache.js";
import type { RateLimiter } from "./limits/rate-limiter.js";
import { endUserOf } from "./limits/request-attribution.js";
import type { SafetyPolicies } from "./policy/safety-policies.js";
import { outcomeHeaders, proxyToUpstream } from "./proxy-to-upstream.js";
import type { RequestLogWriter } from "./request-log-writer.js";
import { genAiOperationNames, RequestTracing } from "./request-tracing.js";
import { attemptPath } from "./resilience/attempt-path.js";
import { Resilience } from "./resilience/resilience.js";
import type { RouteTableHolder } from "./route-table-holder.js";
import type { RandomSource } from "./routing/order-targets.js";
import { applyInputPoliciesStep, type PolicyActionEvent } from "./steps/apply-input-policies-step.js";
import { applyLeversStep } from "./steps/apply-levers-step.js";
import { authenticateCaller, authenticateStep } from "./steps/authenticate-step.js";
import { rateLimitStep } from "./steps/rate-limit-step.js";
import { mayUseModel, resolveRouteStep } from "./steps/resolve-route-step.js";
import { tracedStep } from "./steps/traced-step.js";
import { validateBodyStep } from "./steps/validate-body-step.js";
import { vacateTarget } from "./target-stats.js";

export interface GatewayDependencies {
  readonly keys: KeyCache;
  readonly routes: RouteTableHolder;
  readonly requestLog: RequestLogWriter;
  readonly metrics: GatewayMetrics;
  /** Renders an error as the last event of a stream in the caller's dialect. */
  readonly renderStreamError: (
    error: GatewayError,
    dialect: ClientDialect,
    requestId: string,
    sequenceNumber?: number,
  ) => string;
  readonly onInternalError: (error: unknown, context: GatewayContext) => void;
  /** Extra steps run after authentication, validation and input policies, before routing (limits, … later). */
  readonly extraSteps?: readonly GatewayStep[];
  /** The safety policies in force (read per request, so a reload can swap them); absent means none. */
  readonly safety?: () => SafetyPolicies | undefined;
  /** Told of every policy outcome (never a detected value); the audit log attaches here. */
  readonly onPolicyAction?: (event: PolicyActionEvent) => void;
  /** The random source of the `weighted` strategy; default `Math.random` (tests inject a seeded one). */
  readonly routingRandom?: RandomSource;
  /** Admission control (global and per-target limits, queue, load shedding); absent means none. */
  readonly backpressure?: GatewayStep;
  /** Retries, fallbacks, timeouts and breakers in force (read per request); absent: the defaults. */
  readonly resilience?: () => Resilience;
  /** Rate limits; absent when no rule is configured (then the pipeline has no limit step at all). */
  readonly limiter?: RateLimiter;
  /** Prices every finished request (and estimates missing usage); absent, rows carry no cost. */
  readonly cost?: CostAccountant;
  /** USD budgets: a step after routing reserves, `complete` settles. */
  readonly budgets?: BudgetGuard;
  /** Starts a trace per request; absent when tracing is off. */
  readonly tracer?: RequestTracer | undefined;
  /** Prompt and completion text on spans; absent unless `telemetry.traces.content.enabled`. */
  readonly traceContent?: TraceContentConfig | undefined;
  /** Told of every finished request when SLOs are configured; absent, nothing is done for them. */
  readonly slo?: SloRecorder;
  /** Incident levers in force, applied right after routing; absent, the pipeline has no lever step. */
  readonly levers?: LeverCache;
}

export interface RequestStart {
  readonly operation: UpstreamOperation;
  readonly headers: IncomingHeaders;
  readonly body: Record<string, unknown>;
  readonly signal: CancelSignal;
  /** `performance.now()` when the first byte of the request arrived. */
  readonly startedAt: number;
  readonly requestId?: string | undefined;
}

/** The data plane: runs the pipeline for one request and records its outcome once the response is over. */
export class Gateway {
  readonly #dependencies: GatewayDependencies;
  readonly #pipeline: GatewayHandler;

  constructor(dependencies: GatewayDependencies) {
    this.#dependencies = dependencies;
    this.#pipeline = composeSteps(
      [
        authenticateStep(dependencies.keys),
        validateBodyStep(),
        ...(dependencies.safety === undefined
          ? []
          : [
              tracedStep(
                "switchyard.policy.input",
                applyInputPoliciesStep(dependencies.safety, dependencies.onPolicyAction),
              ),
            ]),
        ...(dependencies.extraSteps ?? []),
        resolveRouteStep(dependencies.routingRandom),
        ...(dependencies.levers === undefined ? [] : [applyLeversStep(dependencies.levers)]),
        // Limits before admission: a request over its limit is refused without taking a queue slot.
        ...(dependencies.limiter === undefined ? [] : [rateLimitStep(dependencies.limiter)]),
        ...(dependencies.budgets === undefined ? [] : [dependencies.budgets.step()]),
        ...(dependencies.backpressure === undefined ? [] : [dependencies.backpressure]),
      ],
      proxyToUpstream({
        renderStreamError: dependencies.renderStreamError,
        resilience:
          dependencies.resilience ??
          constant(new Resilience(defaultResilienceConfig, dependencies.metrics.resilience)),
      }),
    );
  }

  /** The caller must pass the context to `complete` exactly once, when the response is over. */
  createContext(start: RequestStart): GatewayContext {
    const lease = this.#dependencies.routes.acquire();
    const receivedAt = Date.now() - (performance.now() - start.startedAt);
    const tracer = this.#dependencies.tracer;
    return {
      routes: lease.routes,
      releaseRoutes: lease.release,
      requestId: start.requestId ?? newRequestId(),
      receivedAt,
      startedAt: start.startedAt,
      operation: start.operation,
      headers: start.headers,
      body: start.body,
      signal: start.signal,
      caller: undefined,
      route: undefined,
      modelRequested: typeof start.body.model === "string" ? start.body.model : null,
      stream: false,
      upstreamMs: 0,
      attempts: [],
      target: null,
      usage: unknownUsage,
      ttftMs: null,
      errorCode: null,
      loggedStatus: null,
      warnings: null,
      policy: undefined,
      busyTarget: undefined,
      releaseAdmission: undefined,
      rateLimit: undefined,
      attribution: undefined,
      promptTokens: null,
      completionText: this.#dependencies.cost?.estimatesMissingUsage === true ? [] : undefined,
      budgetReservation: undefined,
      tracing:
        tracer === undefined
          ? undefined
          : startTracing(tracer, start, receivedAt, this.#dependencies.traceContent),
      costUsd: null,
    };
  }

  /** Never rejects: every failure becomes an error response with a catalog code. */
  async handle(context: GatewayContext): Promise<GatewayResponse> {
    try {
      return await this.#pipeline(context);
    } catch (error) {
      const failure = isGatewayError(error)
        ? error
        : context.signal.aborted
          ? new GatewayError("GW_ERR_CLIENT_DISCONNECTED", "The client closed the connection.", {
              cause: error,
            })
          : this.#internal(error, context);
      context.errorCode = failure.code;
      return { kind: "error", error: failure, headers: outcomeHeaders(context) };
    }
  }

  /** Authenticates a caller outside the model pipeline (e.g. `GET /v1/models`). */
  authenticate(headers: IncomingHeaders): Caller {
    return authenticateCaller(this.#dependencies.keys, headers);
  }

  /** Public model names this caller may use: named groups, plus the catch-all's upstream models. */
  async listModels(caller: Caller, signal: AbortSignal): Promise<string[]> {
    const lease = this.#dependencies.routes.acquire();
    const names = new Set(lease.routes.namedGroups);
    const upstreamLists = await Promise.all(
      lease.routes.wildcardAdapters.map((adapter) =>
        adapter.listModels(signal).catch(() => [] as readonly string[]),
      ),
    ).finally(lease.release);
    for (const list of upstreamLists) for (const name of list) names.add(name);
    return [...names].filter((name) => mayUseModel(caller, name));
  }

  /** Records the finished request: one request-log row (queued, written later) and the metrics. */
  complete(context: GatewayContext, sentStatus: number, clientClosed: boolean): void {
    context.releaseRoutes();
    vacateTarget(context);
    context.releaseAdmission?.();
    context.rateLimit?.settle(context);
    const latencyMs = performance.now() - context.startedAt;
    if (clientClosed && context.errorCode === null) context.errorCode = "GW_ERR_CLIENT_DISCONNECTED";
    const status = clientClosed ? 499 : (context.loggedStatus ?? sentStatus);
    const overheadMs = Math.max(
      0,
      (context.stream ? (context.ttftMs ?? latencyMs) : latencyMs) - context.upstreamMs,
    );
    const { requestLog, metrics, cost, budgets, slo } = this.#dependencies;
    const accounted = cost?.account(context);
    context.costUsd = accounted?.costUsd ?? null;
    budgets?.settle(context, context.costUsd);
    const usage = accounted?.usage ?? context.usage;
    const attribution = context.attribution ?? attributionOf(context.caller, context.headers);
    const key = context.caller?.kind === "virtual-key" ? context.caller.key : undefined;
    requestLog.record({
      id: context.requestId,
      createdAt: Math.round(context.receivedAt),
      keyId: key?.id ?? null,
      endpoint: context.operation,
      modelRequested: context.modelRequested,
      target: context.target,
      status,
      stream: context.stream,
      latencyMs,
      ttftMs: context.ttftMs,
      overheadMs,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedTokens: usage.cachedTokens,
      errorCode: context.errorCode,
      attempts: context.attempts.reduce((made, attempt) => made + (attempt.outcome === "skipped" ? 0 : 1), 0),
      attemptPath: attemptPath(context.attempts),
      policy: context.policy?.summary || null,
      endUser: endUserOf(context.headers, context.body),
      cacheWriteTokens: usage.cacheWriteTokens,
      reasoningTokens: usage.reasoningTokens,
      usageEstimated: usage.estimated,
      costUsd: context.costUsd,
      cacheSavingsUsd: accounted?.cacheSavingsUsd ?? null,
      priceVersion: accounted?.priceVersion ?? null,
      team: attribution.team,
      project: attribution.project,
      tags: attribution.tags,
      traceId: context.tracing?.trace.sampled === true ? context.tracing.trace.traceId : null,
      attemptDetails: context.attempts.length === 0 ? null : context.attempts,
      warnings: context.warnings,
    });
    context.tracing?.end(context, status, context.costUsd);
    metrics.recordRequest({
      operation: context.operation,
      modelGroup: context.route?.groupName ?? "",
      target: context.target ?? "",
      team: attribution.team ?? "",
      project: attribution.project ?? "",
      status: String(status),
      latencySeconds: latencyMs / 1000,
      overheadSeconds: overheadMs / 1000,
      timeToFirstTokenSeconds: context.stream && context.ttftMs !== null ? context.ttftMs / 1000 : null,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedTokens: usage.cachedTokens,
      costUsd: context.costUsd,
      attempts: context.attempts,
    });
    if (slo !== undefined) {
      slo.record({
        operation: context.operation,
        modelGroup: context.route?.groupName ?? "",
        team: context.caller?.kind === "virtual-key" ? context.caller.key.metadata.team : undefined,
        status,
        latencyMs,
        ttftMs: context.stream ? context.ttftMs : null,
      });
    }
  }

  #internal(error: unknown, context: GatewayContext): GatewayError {
    this.#dependencies.onInternalError(error, context);
    return new GatewayError(
      "GW_ERR_GATEWAY_INTERNAL",
      `Internal error; quote request id ${context.requestId}.`,
      {
        cause: error,
      },
    );
  }
}

function constant<T>(value: T): () => T {
  return () => value;
}

function startTracing(
  tracer: RequestTracer,
  start: RequestStart,
  receivedAt: number,
  content: TraceContentConfig | undefined,
): RequestTracing {
  const traceparent = start.headers.traceparent;
  const tracestate = start.headers.tracestate;
  const trace = tracer.startRequest({
    operationName: genAiOperationNames[start.operation],
    traceparent: typeof traceparent === "string" ? traceparent : undefined,
    tracestate: typeof tracestate === "string" ? tracestate : undefined,
    startTimeMs: receivedAt,
  });
  return new RequestTracing(trace, start.operation, content);
}
