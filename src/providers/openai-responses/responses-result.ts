import type {
  CanonicalAssistantPart,
  CanonicalChatResult,
  CanonicalFinishReason,
  CanonicalUsage,
} from "../../core/canonical-chat.js";

/** A Response id: the upstream's id kept recognisable under OpenAI's `resp_` prefix. */
export function responseId(upstreamId: string): string {
  if (upstreamId === "") return `resp_${Date.now().toString(36)}`;
  return upstreamId.startsWith("resp_") ? upstreamId : `resp_${upstreamId}`;
}

/** Canonical usage → Responses `usage`; unknown counts become 0 because the SDK types require numbers. */
export function writeResponsesUsage(usage: CanonicalUsage): Record<string, unknown> {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens: usage.cacheReadTokens ?? 0,
      cache_write_tokens: usage.cacheWriteTokens ?? 0,
    },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
}

/** `status` and `incomplete_details` of a finished response, from its finish reason. */
export function responseStatus(finish: CanonicalFinishReason): {
  readonly status: "completed" | "incomplete";
  readonly incomplete_details: { readonly reason: string } | null;
} {
  if (finish.unified === "length") {
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  }
  if (finish.unified === "content-filter") {
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  }
  return { status: "completed", incomplete_details: null };
}

/**
 * The Response object's fields besides `output`, `status` and `usage`. The translated request's settings are
 * not echoed (the codec writes results without the request); they read as OpenAI's defaults.
 */
export function responseEnvelope(id: string, model: string, createdAt: number): Record<string, unknown> {
  return {
    id,
    object: "response",
    created_at: createdAt,
    status: "in_progress",
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    metadata: {},
    model,
    output: [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: "text" } },
    tool_choice: "auto",
    tools: [],
    top_p: null,
    truncation: "disabled",
    usage: null,
    user: null,
  };
}

/** Output item ids: OpenAI's prefixes (`msg_`, `fc_`, `rs_`) over the response id and the item's index. */
export function outputItemId(prefix: "msg" | "fc" | "rs", response: string, index: number): string {
  return `${prefix}_${response.replace(/^resp_/, "")}_${index}`;
}

export function reasoningItem(
  id: string,
  text: string,
  signature: string | undefined,
  status: "in_progress" | "completed",
): Record<string, unknown> {
  return {
    id,
    type: "reasoning",
    summary: [],
    ...(text === "" ? {} : { content: [{ type: "reasoning_text", text }] }),
    ...(signature === undefined || signature === "" ? {} : { encrypted_content: signature }),
    status,
  };
}

export function messageItem(
  id: string,
  text: string | undefined,
  status: "in_progress" | "completed",
): Record<string, unknown> {
  return {
    id,
    type: "message",
    role: "assistant",
    status,
    content: text === undefined ? [] : [outputTextPart(text)],
  };
}

export function outputTextPart(text: string): Record<string, unknown> {
  return { type: "output_text", text, annotations: [], logprobs: [] };
}

export function functionCallItem(
  id: string,
  callId: string,
  name: string,
  argumentsText: string,
  status: "in_progress" | "completed",
): Record<string, unknown> {
  return { id, type: "function_call", call_id: callId, name, arguments: argumentsText, status };
}

/**
 * A whole Response object (https://platform.openai.com/docs/api-reference/responses/object). Adjacent text parts
 * make one assistant message; reasoning and tool calls are items of their own. `output_text` is left out: the
 * API does not send it, the SDKs compute it. The provider's raw finish reason rides along in `switchyard`.
 */
export function writeResponsesResult(result: CanonicalChatResult): Record<string, unknown> {
  const id = responseId(result.id);
  const output: Record<string, unknown>[] = [];
  let text: string | undefined;
  const flushText = () => {
    if (text === undefined) return;
    output.push(messageItem(outputItemId("msg", id, output.length), text, "completed"));
    text = undefined;
  };
  for (const part of result.content) {
    if (part.type === "text") {
      text = (text ?? "") + part.text;
      continue;
    }
    flushText();
    output.push(writeItem(part, id, output.length));
  }
  flushText();
  return {
    ...responseEnvelope(id, result.model, Math.floor(Date.now() / 1000)),
    ...responseStatus(result.finishReason),
    output,
    usage: writeResponsesUsage(result.usage),
    switchyard: { raw_finish_reason: result.finishReason.raw },
  };
}

function writeItem(
  part: Exclude<CanonicalAssistantPart, { type: "text" }>,
  response: string,
  index: number,
): Record<string, unknown> {
  switch (part.type) {
    case "reasoning":
      return reasoningItem(outputItemId("rs", response, index), part.text, part.signature, "completed");
    case "redacted-reasoning":
      return reasoningItem(outputItemId("rs", response, index), "", part.data, "completed");
    case "tool-call":
      return functionCallItem(
        outputItemId("fc", response, index),
        part.id,
        part.name,
        part.arguments,
        "completed",
      );
  }
}
