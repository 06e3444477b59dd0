import { restorePlaceholders } from "../../safety/policy/placeholder-restorer.js";
import type { RequestPolicy } from "./request-policy.js";
import { checkToolAllowed, checkToolArguments, declaredToolSchemas } from "./tool-call-check.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * Applies output and tool policies to a whole (non-streamed) chat completion, then restores masked values in
 * message text and tool-call arguments. Policies see the answer as the model wrote it (placeholders, not the
 * caller's values); arguments are validated as the tool will receive them (restored). Throws to block.
 */
export function guardChatBody(
  body: Record<string, unknown>,
  policy: RequestPolicy,
  requestBody: Record<string, unknown>,
): Record<string, unknown> {
  if (!Array.isArray(body.choices)) return body;
  const schemas = declaredToolSchemas(requestBody);
  const choices = body.choices.map((choice: unknown, index) => {
    if (!isRecord(choice) || !isRecord(choice.message)) return choice;
    const message = { ...choice.message };
    if (typeof message.content === "string") {
      const checked = policy.applyToText(message.content, "output", `choices.${index}.message.content`);
      message.content = restorePlaceholders(checked, policy.vault);
    }
    if (Array.isArray(message.tool_calls)) {
      message.tool_calls = message.tool_calls.map((call: unknown) => {
        if (!isRecord(call) || !isRecord(call.function)) return call;
        const name = typeof call.function.name === "string" ? call.function.name : "";
        const written = typeof call.function.arguments === "string" ? call.function.arguments : "";
        return {
          ...call,
          function: { ...call.function, arguments: guardToolCall(policy, schemas, name, written) },
        };
      });
    }
    return { ...choice, message };
  });
  return { ...body, choices };
}

/** One complete tool call: allowlist, tool-call policies, restoring, then argument validation. */
export function guardToolCall(
  policy: RequestPolicy,
  schemas: ReadonlyMap<string, unknown>,
  name: string,
  argumentsText: string,
): string {
  if (policy.toolRules.length > 0) checkToolAllowed(policy.toolRules, name);
  policy.applyToText(argumentsText, "tool-call", "");
  const restored = restorePlaceholders(argumentsText, policy.vault, "json-string");
  checkToolArguments(policy.toolRules, schemas, name, restored);
  return restored;
}
