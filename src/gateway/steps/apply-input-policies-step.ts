import type { PolicyStage } from "../../core/gateway-config.js";
import type { PolicyOutcome } from "../../safety/policy/policy-outcomes.js";
import type { GatewayStep } from "../compose-steps.js";
import type { GatewayContext } from "../gateway-context.js";
import { collectTexts } from "../policy/chat-surface.js";
import { chatSurfaceFor, replySurfaceFor } from "../policy/chat-surfaces.js";
import type { RequestPolicy } from "../policy/request-policy.js";
import type { SafetyPolicies } from "../policy/safety-policies.js";

/** An outcome with the request it belongs to, for audit records. Never holds a detected value. */
export interface PolicyActionEvent extends PolicyOutcome {
  readonly requestId: string;
  /** The virtual key that made the request; null for the master key. */
  readonly keyId: string | null;
}

/**
 * Finds the policies that apply to the request (by model, key, team, project and risk tier) and applies the
 * input and indirect ones to what goes to the model: the texts of the client dialect's chat surface (tool results
 * count as indirect; see `policy/chat-surfaces.ts`) and embeddings input. A block answers before routing, so a
 * blocked request never reaches a provider.
 */
export function applyInputPoliciesStep(
  safety: () => SafetyPolicies | undefined,
  onPolicyAction?: (event: PolicyActionEvent) => void,
): GatewayStep {
  return (context, next) => {
    const policies = safety();
    if (policies === undefined || policies.empty) return next();
    const requestId = context.requestId;
    const keyId = context.caller?.kind === "virtual-key" ? context.caller.key.id : null;
    const policy = policies.forRequest(
      context.caller,
      context.modelRequested,
      context.headers,
      onPolicyAction === undefined
        ? undefined
        : (outcome) => onPolicyAction({ ...outcome, requestId, keyId }),
    );
    if (policy === undefined) return next();
    context.policy = policy;
    const applyAndContinue = () => {
      if (policy.byStage.input.length > 0 || policy.byStage.indirect.length > 0) applyToBody(context, policy);
      if (policy.canaryLine !== undefined) addCanary(context, policy.canaryLine);
      return next();
    };
    const provider = policies.moderationProvider;
    const texts = provider === undefined || !moderatesInput(policy) ? [] : bodyTexts(context);
    if (provider === undefined || texts.length === 0) return applyAndContinue();
    // One call for all of the request's texts; a failing provider fails the request (nothing passes unjudged).
    return provider.moderate(texts, context.signal).then((results) => {
      policy.useDetections("moderation", new Map(texts.map((text, index) => [text, results[index] ?? []])));
      return applyAndContinue();
    });
  };
}

function moderatesInput(policy: RequestPolicy): boolean {
  return [...policy.byStage.input, ...policy.byStage.indirect].some((each) =>
    each.detectors.includes("moderation"),
  );
}

/** The texts the input and indirect stages look at: the chat surface's prose texts, or embeddings input. */
function bodyTexts(context: GatewayContext): string[] {
  const body = context.body;
  if (context.operation === "embeddings") {
    const input = body.input;
    if (typeof input === "string") return [input];
    return Array.isArray(input) ? input.filter((item): item is string => typeof item === "string") : [];
  }
  const surface = chatSurfaceFor(context.operation);
  return surface === undefined ? [] : collectTexts(surface, body);
}

/**
 * Puts the canary marker in front of the system prompt (after the input policies, so they never scan it);
 * finding it in the answer means the system prompt leaked.
 */
function addCanary(context: GatewayContext, canaryLine: string): void {
  const surface = replySurfaceFor(context.operation);
  if (surface !== undefined) context.body = surface.addCanary(context.body, canaryLine);
}

function applyToBody(context: GatewayContext, policy: RequestPolicy): void {
  const body = context.body;
  if (context.operation === "embeddings") {
    const input = body.input;
    if (typeof input === "string") {
      context.body = { ...body, input: policy.applyToText(input, "input", "input") };
    } else if (Array.isArray(input) && input.every((item) => typeof item === "string")) {
      context.body = {
        ...body,
        input: input.map((item, index) => policy.applyToText(item, "input", `input.${index}`)),
      };
    }
    return;
  }
  const surface = chatSurfaceFor(context.operation);
  if (surface === undefined) return;
  const apply = (text: string, stage: PolicyStage, param: string) =>
    policy.byStage[stage].length === 0 ? text : policy.applyToText(text, stage, param);
  context.body = surface.rewriteTexts(body, { text: apply, value: apply });
}
