import { buildUsage, type SimulatedChoice, type SimulatedCompletion } from "./simulate-chat-completion.js";
import type {
  WireChatCompletionChunk,
  WireChunkChoice,
  WireResponseMeta,
  WireUsage,
} from "./simulator-wire.js";

/** A chunk and the token step it belongs to: step `k` is due `k / tokensPerSecond` seconds into the stream. */
export interface TimedChunk {
  readonly step: number;
  readonly chunk: WireChatCompletionChunk;
}

interface TimedChoice {
  readonly step: number;
  readonly choice: WireChunkChoice;
}

function choiceDeltas(choice: SimulatedChoice): TimedChoice[] {
  const index = choice.index;
  const open = (delta: WireChunkChoice["delta"]): TimedChoice => ({
    step: 0,
    choice: { index, delta, logprobs: null, finish_reason: null },
  });
  const parts: TimedChoice[] = [];
  const call = choice.toolCalls[0];
  if (call === undefined) {
    parts.push(open({ role: "assistant", content: "", refusal: null }));
    for (const [k, piece] of (choice.content?.pieces ?? []).entries()) {
      parts.push({
        step: k + 1,
        choice: { index, delta: { content: piece }, logprobs: null, finish_reason: null },
      });
    }
  } else {
    parts.push(
      open({
        role: "assistant",
        content: null,
        tool_calls: [
          { index: 0, id: call.id, type: "function", function: { name: call.name, arguments: "" } },
        ],
        refusal: null,
      }),
    );
    for (const [k, piece] of call.arguments.pieces.entries()) {
      const delta = { tool_calls: [{ index: 0, function: { arguments: piece } }] };
      parts.push({ step: k + 1, choice: { index, delta, logprobs: null, finish_reason: null } });
    }
  }
  const last = parts.at(-1)?.step ?? 0;
  parts.push({
    step: last,
    choice: { index, delta: {}, logprobs: null, finish_reason: choice.finishReason },
  });
  return parts;
}

/**
 * The `chat.completion.chunk` sequence OpenAI streams for this completion: per choice a role chunk, one
 * delta per token (tool-call arguments likewise), a finish chunk; choices interleaved by step. With
 * `includeUsage`, every chunk carries `usage: null` and a last chunk with no choices carries the usage.
 */
export function buildChatChunks(
  completion: SimulatedCompletion,
  meta: WireResponseMeta,
  includeUsage: boolean,
): TimedChunk[] {
  const timed = completion.choices.flatMap(choiceDeltas);
  // Array.prototype.sort is stable, so within a step choices keep their order.
  timed.sort((a, b) => a.step - b.step);
  const chunk = (choices: WireChunkChoice[], usage: WireUsage | null): WireChatCompletionChunk => ({
    id: meta.id,
    object: "chat.completion.chunk",
    created: meta.created,
    model: meta.model,
    service_tier: "default",
    system_fingerprint: meta.system_fingerprint,
    choices,
    ...(includeUsage ? { usage } : {}),
  });
  const chunks = timed.map(({ step, choice }) => ({ step, chunk: chunk([choice], null) }));
  if (includeUsage) {
    const step = chunks.at(-1)?.step ?? 0;
    chunks.push({ step, chunk: chunk([], buildUsage(completion.promptTokens, completion.completionTokens)) });
  }
  return chunks;
}
