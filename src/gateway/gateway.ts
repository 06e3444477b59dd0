import type { CancelSignal } from "../core/cancellation.js";
import { GatewayError, isGatewayError } from "../core/gateway-error.js";
import type { UpstreamOperation } from "../core/ports/provider-adapter.js";
import { newRequestId } from "../core/request-id.js";
import { composeSteps, type GatewayHandler, type GatewayStep } from "./compose-steps.js";
import { endUserOf } from "./end-user.js";
import type { Caller, GatewayContext, GatewayResponse, IncomingHeaders } from "./gateway-context.js";
import type { GatewayMetrics } from "./gateway-metrics.js";
import type { KeyCache } from "./key-cache.js";
import { unknownUsage } from "./openai-usage.js";
import type { SafetyPolicies } from "./policy/safety-policies.js";
import { outcomeHeaders, proxyToUpstream } from "./proxy-to-upstream.js";
import type { RequestLogWriter } from "./request-log-writer.js";
import type { RouteTableHolder } from "./route-table-holder.js";
import { applyInputPoliciesStep, type PolicyActionEvent } from "./steps/apply-input-policies-step.js";
import { authenticateCaller, authenticateStep } from "./steps/authenticate-step.js";
import { mayUseModel, resolveRouteStep } from "./steps/resolve-route-step.js";
import { validateBodyStep } from "./steps/validate-body-step.js";

export interface GatewayDependencies {
  readonly keys: KeyCache;
  readonly routes: RouteTableHolder;
  readonly requestLog: RequestLogWriter;
  readonly metrics: GatewayMetrics;
  readonly renderStreamError: (error: GatewayError) => string;
  readonly onInternalError: (error: unknown, context: GatewayContext) => void;
  /** Extra steps run after authentication, validation and input policies, before routing (limits, … later). */
  readonly extraSteps?: readonly GatewayStep[];
  /** The safety policies in force (read per request, so a reload can swap them); absent means none. */
  readonly safety?: () => SafetyPolicies | undefined;
  /** Told of every policy outcome (never a detected value); the audit log attaches here. */
  readonly onPolicyAction?: (event: PolicyActionEvent) => void;
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
          : [applyInputPoliciesStep(dependencies.safety, dependencies.onPolicyAction)]),
        ...(dependencies.extraSteps ?? []),
        resolveRouteStep(),
      ],
      proxyToUpstream({ renderStreamError: dependencies.renderStreamError }),
    );
  }

  /** The caller must pass the context to `complete` exactly once, when the response is over. */
  createContext(start: RequestStart): GatewayContext {
    const lease = this.#dependencies.routes.acquire();
    return {
      routes: lease.routes,
      releaseRoutes: lease.release,
      requestId: start.requestId ?? newRequestId(),
      receivedAt: Date.now() - (performance.now() - start.startedAt),
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
      policy: undefined,
      endUserId: endUserOf(start.headers, start.body),
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
    const latencyMs = performance.now() - context.startedAt;
    if (clientClosed && context.errorCode === null) context.errorCode = "GW_ERR_CLIENT_DISCONNECTED";
    const status = clientClosed ? 499 : (context.loggedStatus ?? sentStatus);
    const overheadMs = Math.max(
      0,
      (context.stream ? (context.ttftMs ?? latencyMs) : latencyMs) - context.upstreamMs,
    );
    const { requestLog, metrics } = this.#dependencies;
    requestLog.record({
      id: context.requestId,
      createdAt: Math.round(context.receivedAt),
      keyId: context.caller?.kind === "virtual-key" ? context.caller.key.id : null,
      endpoint: context.operation,
      modelRequested: context.modelRequested,
      target: context.target,
      status,
      stream: context.stream,
      latencyMs,
      ttftMs: context.ttftMs,
      overheadMs,
      inputTokens: context.usage.inputTokens,
      outputTokens: context.usage.outputTokens,
      cachedTokens: context.usage.cachedTokens,
      errorCode: context.errorCode,
      attempts: context.attempts.length,
      policy: context.policy?.summary || null,
    });
    metrics.recordRequest({
      operation: context.operation,
      modelGroup: context.route?.groupName ?? "",
      provider: context.target?.split("/", 1)[0] ?? "",
      status: String(status),
      latencySeconds: latencyMs / 1000,
      overheadSeconds: overheadMs / 1000,
      timeToFirstTokenSeconds: context.stream && context.ttftMs !== null ? context.ttftMs / 1000 : null,
      ...context.usage,
    });
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
