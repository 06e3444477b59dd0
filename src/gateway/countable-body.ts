import type { UpstreamOperation } from "../core/ports/provider-adapter.js";

type Body = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A request body as the gateway's estimators read it (token counts for limits and budgets, context windows,
 * routing features): Chat Completions' shape. A Responses body is viewed as one (`input` and `instructions` as
 * `messages`, `max_output_tokens` as `max_tokens`, `text.format` as `response_format`); the others are their
 * own view. Only for counting: the body sent upstream is never this view.
 */
export function countableBody(operation: UpstreamOperation, body: Body): Body {
  return operation === "responses" ? chatViewOfResponses(body) : body;
}

function chatViewOfResponses(body: Body): Body {
  const messages: Record<string, unknown>[] = [];
  if (typeof body.instructions === "string") messages.push({ role: "system", content: body.instructions });
  if (typeof body.input === "string") messages.push({ role: "user", content: body.input });
  else if (Array.isArray(body.input)) {
    for (const item of body.input) if (isRecord(item)) messages.push(chatMessageOf(item));
  }
  const text = isRecord(body.text) ? body.text : undefined;
  return {
    model: body.model,
    messages,
    ...(body.tools === undefined ? {} : { tools: body.tools }),
    ...(body.max_output_tokens === undefined ? {} : { max_tokens: body.max_output_tokens }),
    ...(text?.format === undefined ? {} : { response_format: text.format }),
  };
}

function chatMessageOf(item: Record<string, unknown>): Record<string, unknown> {
  switch (item.type ?? "message") {
    case "function_call":
      return {
        role: "assistant",
        content: null,
        tool_calls: [{ name: item.name, arguments: item.arguments }],
      };
    case "function_call_output":
      return { role: "tool", content: contentOf(item.output) };
    case "reasoning": {
      const parts = Array.isArray(item.content) ? item.content : item.summary;
      return { role: "assistant", content: contentOf(parts) };
    }
    default:
      return { role: item.role, content: contentOf(item.content) };
  }
}

/** Text parts keep their text; images become `image_url` parts (what the estimators price as images). */
function contentOf(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  return content.map((part: unknown) =>
    isRecord(part) && part.type === "input_image" ? { type: "image_url" } : part,
  );
}
