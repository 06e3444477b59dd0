import type { PolicyStage } from "../../core/gateway-config.js";
import type { PolicyOutcome } from "../../safety/policy/policy-outcomes.js";
import type { GatewayStep } from "../compose-steps.js";
import type { GatewayContext } from "../gateway-context.js";
import type { RequestPolicy } from "../policy/request-policy.js";
import type { SafetyPolicies } from "../policy/safety-policies.js";

/** An outcome with the request it belongs to, for audit records. Never holds a detected value. */
export interface PolicyActionEvent extends PolicyOutcome {
  readonly requestId: string;
  /** The virtual key that made the request; null for the master key. */
  readonly keyId: string | null;
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

/** The texts the input and indirect stages look at: message text (strings and text parts), embeddings input. */
function bodyTexts(context: GatewayContext): string[] {
  const body = context.body;
  if (context.operation === "embeddings") {
    const input = body.input;
    if (typeof input === "string") return [input];
    return Array.isArray(input) ? input.filter((item): item is string => typeof item === "string") : [];
  }
  if (!Array.isArray(body.messages)) return [];
  const texts = new Set<string>();
  for (const message of body.messages) {
    if (!isRecord(message)) continue;
    const content = message.content;
    if (typeof content === "string" && content !== "") texts.add(content);
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      if (isRecord(part) && part.type === "text" && typeof part.text === "string" && part.text !== "")
        texts.add(part.text);
    }
  }
  return [...texts];
}

/**
 * Puts the canary marker in front of the conversation as a system message of its own (after the input
 * policies, so they never scan it); finding it in the answer means the system prompt leaked.
 */
function addCanary(context: GatewayContext, canaryLine: string): void {
  const messages = context.body.messages;
  if (context.operation !== "chat.completions" || !Array.isArray(messages)) return;
  context.body = { ...context.body, messages: [{ role: "system", content: canaryLine }, ...messages] };
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
    const param = `messages.${index}`;
    const rewritten: Record<string, unknown> = {
      ...message,
      content: applyToContent(policy, message.content, stage, `${param}.content`),
    };
    // Earlier tool calls carry the caller's values back (restored in the answer that produced them).
    if (Array.isArray(message.tool_calls)) {
      rewritten.tool_calls = message.tool_calls.map((call: unknown, callIndex) =>
        isRecord(call) && isRecord(call.function) && typeof call.function.arguments === "string"
          ? {
              ...call,
              function: {
                ...call.function,
                arguments: applyToJsonStrings(
                  policy,
                  call.function.arguments,
                  stage,
                  `${param}.tool_calls.${callIndex}.function.arguments`,
                ),
              },
            }
          : call,
      );
    }
    return rewritten;
  });
  context.body = { ...body, messages };
}

function applyToContent(policy: RequestPolicy, content: unknown, stage: PolicyStage, param: string): unknown {
  if (typeof content === "string") return policy.applyToText(content, stage, param);
  if (!Array.isArray(content)) return content;
  return content.map((part: unknown, partIndex) =>
    isRecord(part) && part.type === "text" && typeof part.text === "string"
      ? { ...part, text: policy.applyToText(part.text, stage, `${param}.${partIndex}.text`) }
      : part,
  );
}

/** Applies policies to each string inside a JSON text, so edits cannot break its syntax; other text as is. */
function applyToJsonStrings(policy: RequestPolicy, text: string, stage: PolicyStage, param: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return policy.applyToText(text, stage, param);
  }
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return policy.applyToText(value, stage, param);
    if (Array.isArray(value)) return value.map(walk);
    if (isRecord(value))
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    return value;
  };
  return JSON.stringify(walk(parsed));
}
