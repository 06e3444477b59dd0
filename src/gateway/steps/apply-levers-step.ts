import { GatewayError } from "../../core/gateway-error.js";
import type { UpstreamOperation } from "../../core/ports/provider-adapter.js";
import type { GatewayStep } from "../compose-steps.js";
import type { LeverCache } from "../lever-cache.js";

const tokenLimitFields = ["max_tokens", "max_completion_tokens", "max_output_tokens"] as const;

/**
 * Applies the incident levers in force to a routed request (after route resolution, before the proxy):
 * disabled targets leave the route, a forced fallback drops the group's first configured target, `tools` are
 * refused where disabled, `max_tokens`/`max_completion_tokens` are capped on a copy of the body, and tighter
 * timeouts are handed to the proxy. No lever active: one length check.
 */
export function applyLeversStep(levers: LeverCache): GatewayStep {
  return (context, next) => {
    const effects = levers.effects();
    const route = context.route;
    if (effects === undefined || route === undefined) return next();
    const group = route.groupName;
    let targets = route.targets;
    if (effects.disabledTargets.size > 0) {
      targets = targets.filter(
        (target) => !effects.disabledTargets.has(target.label) && !effects.disabledTargets.has(target.id),
      );
    }
    if (effects.forceFallback.has(group)) {
      const first = context.routes.resolve(context.modelRequested ?? "")?.targets[0];
      targets = targets.filter((target) => target.id !== first?.id);
    }
    if (targets.length === 0) {
      throw new GatewayError(
        "GW_ERR_LEVER_NO_TARGET",
        `Incident levers leave model group ${group} no target to try.`,
      );
    }
    if (targets !== route.targets) context.route = { ...route, targets };
    if (effects.toolsDisabled.has(group) && context.body.tools !== undefined) {
      throw new GatewayError(
        "GW_ERR_LEVER_TOOLS_DISABLED",
        `Tool calls are disabled for model group ${group}; send the request without 'tools'.`,
        { param: "tools" },
      );
    }
    const cap = effects.maxTokens.get(group);
    if (cap !== undefined && generates(context.operation)) {
      context.body = capped(
        context.body,
        cap,
        context.operation === "responses" ? "max_output_tokens" : "max_tokens",
      );
    }
    const timeouts = effects.timeouts.get(group);
    if (timeouts !== undefined) context.leverTimeouts = timeouts;
    return next();
  };
}

/** Only operations that generate text take a token limit (embeddings and token counts would reject one). */
function generates(operation: UpstreamOperation): boolean {
  return operation === "chat.completions" || operation === "messages" || operation === "responses";
}

/** The body with every token limit at most `cap`, and `max_tokens` set when it had none; a copy if changed. */
function capped(
  body: Record<string, unknown>,
  cap: number,
  defaultField: (typeof tokenLimitFields)[number],
): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  let limited = false;
  for (const field of tokenLimitFields) {
    const value = body[field];
    if (typeof value !== "number") continue;
    limited = true;
    if (value > cap) {
      copy ??= { ...body };
      copy[field] = cap;
    }
  }
  if (!limited) return { ...body, [defaultField]: cap };
  return copy ?? body;
}
