import { countTextTokens } from "../../core/tokenizer.js";
import { countPromptTokens, type TokenizedText, tokenizeText } from "./count-tokens.js";
import { generateChatText } from "./generate-chat-text.js";
import { generateToolArguments } from "./generate-tool-arguments.js";
import type { SimulatorChatRequest, SimulatorFunctionTool } from "./parse-chat-request.js";
import {
  createSeededRandom,
  hashToSeed,
  pickOne,
  type RandomSource,
  randomIdChars,
} from "./seeded-random.js";
import type {
  ChatFinishReason,
  WireChatChoice,
  WireChatCompletion,
  WireResponseMeta,
  WireUsage,
} from "./simulator-wire.js";

export interface SimulatedToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: TokenizedText;
}

export interface SimulatedChoice {
  readonly index: number;
  /** Null when the choice is a tool call. */
  readonly content: TokenizedText | null;
  readonly toolCalls: readonly SimulatedToolCall[];
  readonly finishReason: ChatFinishReason;
  readonly completionTokens: number;
}

export interface SimulatedCompletion {
  readonly choices: readonly SimulatedChoice[];
  readonly promptTokens: number;
  /** Summed over all choices, as OpenAI bills `n > 1`. */
  readonly completionTokens: number;
}

export interface SimulateChatOptions {
  /** Exact length of text answers in tokens (header `x-simulator-output-tokens`); still capped by max tokens. */
  readonly outputTokens?: number | undefined;
}

function toolToCall(request: SimulatorChatRequest, random: RandomSource): SimulatorFunctionTool | undefined {
  const { mode, allowed } = request.toolChoice;
  if (mode === "none") return undefined;
  const candidates = request.tools.filter((tool) => allowed === undefined || allowed.includes(tool.name));
  // After a tool result, "auto" answers in prose, so agent loops run against the simulator terminate.
  if (mode === "auto" && request.messages.at(-1)?.role === "tool") return undefined;
  return pickOne(random, candidates);
}

function simulateChoice(
  request: SimulatorChatRequest,
  random: RandomSource,
  index: number,
  options: SimulateChatOptions,
): SimulatedChoice {
  const tool = toolToCall(request, random);
  if (tool !== undefined) {
    const args = tokenizeText(generateToolArguments(tool.parameters, random));
    return {
      index,
      content: null,
      toolCalls: [{ id: `call_${randomIdChars(random, 24)}`, name: tool.name, arguments: args }],
      finishReason: "tool_calls",
      completionTokens: countTextTokens(tool.name) + args.tokenCount,
    };
  }
  const text = generateChatText(random, {
    outputTokens: options.outputTokens,
    maxTokens: request.maxTokens,
    stop: request.stop,
  });
  return {
    index,
    content: text,
    toolCalls: [],
    finishReason: text.finishReason,
    completionTokens: text.tokenCount,
  };
}

/**
 * The simulated model's answer: a pure function of the messages and `seed` (not of `stop` or the token limit,
 * which only shorten it), so the same request always gets the same content. Choice `i` of `n` equals choice
 * `i` of any larger `n`.
 */
export function simulateChatCompletion(
  request: SimulatorChatRequest,
  options: SimulateChatOptions = {},
): SimulatedCompletion {
  const base = hashToSeed(`${JSON.stringify(request.messages)}\u0000${request.seed ?? ""}`).join(",");
  const choices: SimulatedChoice[] = [];
  for (let index = 0; index < request.n; index++) {
    const random = createSeededRandom(hashToSeed(`${base}:${index}`));
    choices.push(simulateChoice(request, random, index, options));
  }
  return {
    choices,
    promptTokens: countPromptTokens(request.messages, request.tools),
    completionTokens: choices.reduce((sum, choice) => sum + choice.completionTokens, 0),
  };
}

export function buildUsage(promptTokens: number, completionTokens: number): WireUsage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** A stable `system_fingerprint` per model name, shaped like OpenAI's `fp_` + 10 hex digits. */
export function systemFingerprint(model: string): string {
  const [a = 0, b = 0] = hashToSeed(model);
  return `fp_${a.toString(16).padStart(8, "0")}${(b & 0xff).toString(16).padStart(2, "0")}`;
}

function wireChoice(choice: SimulatedChoice): WireChatChoice {
  const message =
    choice.toolCalls.length === 0
      ? { role: "assistant" as const, content: choice.content?.text ?? "", refusal: null, annotations: [] }
      : {
          role: "assistant" as const,
          content: null,
          tool_calls: choice.toolCalls.map((call) => ({
            id: call.id,
            type: "function" as const,
            function: { name: call.name, arguments: call.arguments.text },
          })),
          refusal: null,
          annotations: [],
        };
  return { index: choice.index, message, logprobs: null, finish_reason: choice.finishReason };
}

export function buildChatCompletion(
  completion: SimulatedCompletion,
  meta: WireResponseMeta,
): WireChatCompletion {
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: completion.choices.map(wireChoice),
    usage: buildUsage(completion.promptTokens, completion.completionTokens),
    service_tier: "default",
    system_fingerprint: meta.system_fingerprint,
  };
}
