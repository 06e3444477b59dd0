import { GatewayError } from "../../core/gateway-error.js";
import type { Caller, IncomingHeaders } from "../gateway-context.js";
import type { ResolvedRoute, ResolvedTarget, RouteTable } from "../route-table.js";
import type { CountTokensWithin } from "./input-size.js";
import { InputSize } from "./input-size.js";
import { orderTargets, type RandomSource } from "./order-targets.js";
import { RequestFeatures } from "./request-features.js";
import { firstMatchingRule } from "./routing-rules.js";

export interface RouteRequest {
  readonly modelName: string;
  readonly caller: Caller | undefined;
  readonly headers: IncomingHeaders;
  readonly body: Readonly<Record<string, unknown>>;
}

/** Context fallbacks followed at most (a chain, not a loop; config validation checks names only). */
const maxContextFallbacks = 4;

/**
 * The route for one request: the first matching rule may swap the group or narrow its targets; targets that
 * declare they lack a requested feature, or whose window the request would not fit, are dropped (a group with
 * none left hands over to its `contextFallback`); the rest are ordered by the group's strategy.
 */
export function planRoute(
  routes: RouteTable,
  requested: ResolvedRoute,
  request: RouteRequest,
  random: RandomSource,
): ResolvedRoute {
  const features = new RequestFeatures(request.body);
  let route = requested;
  let ruleTargets: ReadonlySet<string> | undefined;
  if (routes.rules.length > 0) {
    const rule = firstMatchingRule(routes.rules, { ...request, model: request.modelName, features });
    if (rule?.group !== undefined) route = routes.resolve(rule.group) ?? route;
    ruleTargets = rule?.targets;
  }
  let size: InputSize | undefined;
  let tooLong = false;
  for (let hop = 0; hop <= maxContextFallbacks; hop += 1) {
    let targets = route.targets;
    if (ruleTargets !== undefined) {
      const kept = ruleTargets;
      targets = targets.filter((target) => kept.has(target.label) || kept.has(target.adapter.name));
    }
    const serves = (target: ResolvedTarget) => canServe(target, features);
    if (!targets.every(serves)) targets = targets.filter(serves);
    const capable = targets.length;
    if (route.windowed) {
      size ??= new InputSize(request.body);
      targets = fittingTargets(targets, size, routes.countTokens);
    }
    if (targets.length > 0) return ordered(routes, route, targets, size, request.body, random);
    tooLong ||= capable > 0;
    const fallback =
      tooLong && route.contextFallback !== undefined ? routes.resolve(route.contextFallback) : undefined;
    if (fallback === undefined) break;
    route = fallback;
    // A rule's target subset names the group it was written for; the fallback group is taken whole.
    ruleTargets = undefined;
  }
  if (tooLong) {
    throw new GatewayError(
      "GW_ERR_ROUTING_CONTEXT_TOO_LONG",
      `The request's input plus its ${size?.outputTokens ?? 0} output tokens does not fit the context window of any target for '${request.modelName}'. Shorten the messages or lower max_tokens.`,
      { param: "messages" },
    );
  }
  throw new GatewayError(
    "GW_ERR_ROUTING_NO_CAPABLE_TARGET",
    `No target for '${request.modelName}' can serve this request (it asks for ${describeNeeds(features)}).`,
  );
}

function canServe(target: ResolvedTarget, features: RequestFeatures): boolean {
  const { tools, vision } = target.capabilities;
  if (tools === false && features.tools) return false;
  if (vision === false && features.images) return false;
  return true;
}

function fittingTargets(
  targets: readonly ResolvedTarget[],
  size: InputSize,
  countTokens: CountTokensWithin | undefined,
): readonly ResolvedTarget[] {
  let largestRoom = Number.NEGATIVE_INFINITY;
  let smallestRoom = Number.POSITIVE_INFINITY;
  for (const target of targets) {
    const window = target.capabilities.contextWindow;
    if (window === undefined) continue;
    const room = window - size.outputTokens;
    largestRoom = Math.max(largestRoom, room);
    smallestRoom = Math.min(smallestRoom, room);
  }
  // No window declared, or the byte bound already fits the smallest room: nothing to tokenize.
  if (size.upperBound <= smallestRoom) return targets;
  const tokens = largestRoom < 0 ? false : size.tokensWithin(largestRoom, countTokens);
  return targets.filter((target) => {
    const window = target.capabilities.contextWindow;
    return window === undefined || (tokens !== false && tokens + size.outputTokens <= window);
  });
}

function ordered(
  routes: RouteTable,
  route: ResolvedRoute,
  targets: readonly ResolvedTarget[],
  size: InputSize | undefined,
  body: Readonly<Record<string, unknown>>,
  random: RandomSource,
): ResolvedRoute {
  const costSize = route.strategy === "cost" ? (size ?? new InputSize(body)) : size;
  const bytes = costSize?.upperBound;
  const sorted = orderTargets(route.strategy, targets, {
    now: performance.now(),
    latency: routes.latency,
    random,
    // A rough English figure (4 bytes a token) is enough to rank prices; no tokenizer for this.
    inputTokens: bytes === undefined ? 0 : bytes / 4,
    outputTokens: costSize?.outputTokens ?? 0,
  });
  return sorted === route.targets ? route : { ...route, targets: sorted };
}

function describeNeeds(features: RequestFeatures): string {
  const needs = [features.tools ? "tools" : "", features.images ? "images" : ""].filter(Boolean);
  return needs.length === 0 ? "a target the routing rules left out" : needs.join(" and ");
}
