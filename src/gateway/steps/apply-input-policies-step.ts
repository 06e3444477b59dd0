import type { PolicyStage } from "../../core/gateway-config.js";
import type { PolicyOutcome } from "../../safety/policy/policy-outcomes.js";
import type { GatewayStep } from "../compose-steps.js";
import type { GatewayContext } from "../gateway-context.js";
import type { RequestPolicy } from "../policy/request-policy.js";
import type { SafetyPolicies } from "../policy/safety-policies.js";

/** An outcome with the request it belongs to, for audit records. Never holds a detected value. */
export interface PolicyActionEvent extends PolicyOutcome {
  readonly requestId: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Finds the policies that apply to the request (by model, key, team, project and risk tier) and applies the
 * input and indirect ones to what goes to the model: chat message text (tool results count as indirect) and
 * embeddings input. A block answers before routing, so a blocked request never reaches a provider.
 */
export function applyInputPoliciesStep(
  safety: () => SafetyPolicies | undefined,
  onPolicyAction?: (event: PolicyActionEvent) => void,
): GatewayStep {
  return (context, next) => {
    const policies = safety();
    if (policies === undefined || policies.empty) return next();
    const requestId = context.requestId;
    const policy = policies.forRequest(
      context.caller,
      context.modelRequested,
      context.headers,
      onPolicyAction === undefined ? undefined : (outcome) => onPolicyAction({ ...outcome, requestId }),
    );
    if (policy === undefined) return next();
    context.policy = policy;
    if (policy.byStage.input.length > 0 || policy.byStage.indirect.length > 0) applyToBody(context, policy);
    return next();
  };
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
  if (!Array.isArray(body.messages)) return;
  const messages = body.messages.map((message: unknown, index) => {
    if (!isRecord(message)) return message;
    const stage: PolicyStage = message.role === "tool" || message.role === "function" ? "indirect" : "input";
    if (policy.byStage[stage].length === 0) return message;
    const param = `messages.${index}.content`;
    const content = message.content;
    if (typeof content === "string")
      return { ...message, content: policy.applyToText(content, stage, param) };
    if (!Array.isArray(content)) return message;
    return {
      ...message,
      content: content.map((part: unknown, partIndex) =>
        isRecord(part) && part.type === "text" && typeof part.text === "string"
          ? { ...part, text: policy.applyToText(part.text, stage, `${param}.${partIndex}.text`) }
          : part,
      ),
    };
  });
  context.body = { ...body, messages };
}
