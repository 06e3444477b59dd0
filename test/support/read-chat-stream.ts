import type OpenAI from "openai";

export interface StreamedToolCall {
  id?: string;
  name?: string;
  arguments: string;
}

/** What an OpenAI chat stream said, gathered chunk by chunk as a client would. */
export interface ChatStreamSummary {
  /** The id of the last chunk (every chunk of one stream carries the same). */
  readonly id: string;
  /** Each distinct `model` the chunks named, in order. */
  readonly models: readonly string[];
  readonly text: string;
  readonly finishReasons: readonly string[];
  readonly usage: OpenAI.CompletionUsage | undefined;
  /** Tool calls reassembled per `index`: id and name from their first delta, arguments concatenated. */
  readonly toolCalls: readonly StreamedToolCall[];
  /** Chunks with neither choices nor usage (Azure's `prompt_filter_results` chunk). */
  readonly choicelessChunks: number;
}

export async function readChatStream(
  stream: AsyncIterable<OpenAI.ChatCompletionChunk>,
): Promise<ChatStreamSummary> {
  let id = "";
  const models: string[] = [];
  let text = "";
  const finishReasons: string[] = [];
  let usage: OpenAI.CompletionUsage | undefined;
  const toolCalls: StreamedToolCall[] = [];
  let choicelessChunks = 0;
  for await (const chunk of stream) {
    id = chunk.id;
    if (!models.includes(chunk.model)) models.push(chunk.model);
    if (chunk.choices.length === 0 && chunk.usage == null) choicelessChunks += 1;
    usage = chunk.usage ?? usage;
    for (const choice of chunk.choices) {
      text += choice.delta.content ?? "";
      if (choice.finish_reason !== null) finishReasons.push(choice.finish_reason);
      for (const call of choice.delta.tool_calls ?? []) {
        const known = toolCalls[call.index] ?? { arguments: "" };
        toolCalls[call.index] = known;
        if (call.id !== undefined) known.id = call.id;
        if (call.function?.name !== undefined) known.name = call.function.name;
        known.arguments += call.function?.arguments ?? "";
      }
    }
  }
  return { id, models, text, finishReasons, usage, toolCalls, choicelessChunks };
}

/**
 * Reads a chat stream the test expects to break: the text of the first choice that arrived, and what the
 * iteration threw (undefined when the stream ended cleanly).
 */
export async function readChatStreamUntilFailure(
  stream: AsyncIterable<OpenAI.ChatCompletionChunk>,
): Promise<{ readonly text: string; readonly failure: unknown }> {
  let text = "";
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
  } catch (error) {
    return { text, failure: error };
  }
  return { text, failure: undefined };
}
