/**
 * The OpenAI wire shapes the simulator writes, field for field as the official API sends them
 * (see the `openai` package: resources/chat/completions, resources/embeddings, resources/models).
 */

export type ChatFinishReason = "stop" | "length" | "tool_calls";

export interface WireUsage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
  readonly prompt_tokens_details: { readonly cached_tokens: number; readonly audio_tokens: number };
  readonly completion_tokens_details: {
    readonly reasoning_tokens: number;
    readonly audio_tokens: number;
    readonly accepted_prediction_tokens: number;
    readonly rejected_prediction_tokens: number;
  };
}

export interface WireToolCall {
  readonly id: string;
  readonly type: "function";
  readonly function: { readonly name: string; readonly arguments: string };
}

export interface WireChatMessage {
  readonly role: "assistant";
  readonly content: string | null;
  readonly refusal: null;
  readonly tool_calls?: readonly WireToolCall[];
  readonly annotations: readonly never[];
}

export interface WireChatChoice {
  readonly index: number;
  readonly message: WireChatMessage;
  readonly logprobs: null;
  readonly finish_reason: ChatFinishReason;
}

/** Fields every chat response and chunk carries, in OpenAI's order. */
export interface WireResponseMeta {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  readonly system_fingerprint: string;
}

export interface WireChatCompletion {
  readonly id: string;
  readonly object: "chat.completion";
  readonly created: number;
  readonly model: string;
  readonly choices: readonly WireChatChoice[];
  readonly usage: WireUsage;
  readonly service_tier: "default";
  readonly system_fingerprint: string;
}

export interface WireToolCallDelta {
  readonly index: number;
  readonly id?: string;
  readonly type?: "function";
  readonly function: { readonly name?: string; readonly arguments: string };
}

export interface WireChunkDelta {
  readonly role?: "assistant";
  readonly content?: string | null;
  readonly refusal?: null;
  readonly tool_calls?: readonly WireToolCallDelta[];
}

export interface WireChunkChoice {
  readonly index: number;
  readonly delta: WireChunkDelta;
  readonly logprobs: null;
  readonly finish_reason: ChatFinishReason | null;
}

export interface WireChatCompletionChunk {
  readonly id: string;
  readonly object: "chat.completion.chunk";
  readonly created: number;
  readonly model: string;
  readonly service_tier: "default";
  readonly system_fingerprint: string;
  readonly choices: readonly WireChunkChoice[];
  /** Present (null on all but the last chunk) only when `stream_options.include_usage` is true. */
  readonly usage?: WireUsage | null;
}

export interface WireEmbedding {
  readonly object: "embedding";
  readonly index: number;
  /** Numbers for `encoding_format: "float"`, base64 of little-endian float32 for `"base64"`. */
  readonly embedding: readonly number[] | string;
}

export interface WireEmbeddingList {
  readonly object: "list";
  readonly data: readonly WireEmbedding[];
  readonly model: string;
  readonly usage: { readonly prompt_tokens: number; readonly total_tokens: number };
}

export interface WireModel {
  readonly id: string;
  readonly object: "model";
  readonly created: number;
  readonly owned_by: string;
}

export interface WireModelList {
  readonly object: "list";
  readonly data: readonly WireModel[];
}

export interface WireErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string | null;
  };
}

/** Why a request was rejected, before it is rendered as a 400 `invalid_request_error`. */
export interface RequestIssue {
  readonly message: string;
  readonly param: string | null;
  readonly code: string | null;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly issue: RequestIssue };

export type JsonRecord = Readonly<Record<string, unknown>>;

export function isJsonRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
