/**
 * The canonical chat vocabulary: what every chat dialect (OpenAI Chat, Anthropic Messages, later Gemini,
 * Bedrock Converse, …) can be read into and written from. Only cross-dialect traffic goes through it; same-dialect
 * traffic is passed through untouched (ADR 0003). Shaped after Anthropic's content blocks, which are the most
 * expressive of the dialects we speak: a message is a list of typed parts.
 */

export type CanonicalImageSource =
  | { readonly kind: "url"; readonly url: string }
  | { readonly kind: "base64"; readonly mediaType: string; readonly data: string };

export interface CanonicalTextPart {
  readonly type: "text";
  readonly text: string;
}

export interface CanonicalImagePart {
  readonly type: "image";
  readonly source: CanonicalImageSource;
}

/** The result of a tool call, sent back by the caller. */
export interface CanonicalToolResultPart {
  readonly type: "tool-result";
  readonly toolCallId: string;
  readonly content: readonly (CanonicalTextPart | CanonicalImagePart)[];
  readonly isError: boolean;
}

export interface CanonicalToolCallPart {
  readonly type: "tool-call";
  /** The provider's id (`call_…`, `toolu_…`), kept as is so tool results still match after a round trip. */
  readonly id: string;
  readonly name: string;
  /** The arguments as JSON text, exactly as the model produced them. */
  readonly arguments: string;
}

/** Thinking / reasoning text. `signature` is Anthropic's opaque proof, needed to send thinking back. */
export interface CanonicalReasoningPart {
  readonly type: "reasoning";
  readonly text: string;
  readonly signature: string | undefined;
}

/** Reasoning the provider returned encrypted (Anthropic `redacted_thinking`). */
export interface CanonicalRedactedReasoningPart {
  readonly type: "redacted-reasoning";
  readonly data: string;
}

export type CanonicalUserPart = CanonicalTextPart | CanonicalImagePart | CanonicalToolResultPart;
export type CanonicalAssistantPart =
  | CanonicalTextPart
  | CanonicalToolCallPart
  | CanonicalReasoningPart
  | CanonicalRedactedReasoningPart;

/** Tool results travel inside user messages (as Anthropic requires); OpenAI's `tool` role maps onto them. */
export type CanonicalMessage =
  | { readonly role: "user"; readonly content: readonly CanonicalUserPart[] }
  | { readonly role: "assistant"; readonly content: readonly CanonicalAssistantPart[] };

export interface CanonicalTool {
  readonly name: string;
  readonly description: string | undefined;
  /** JSON Schema of the arguments. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** OpenAI `strict`; Anthropic has no equivalent (a warning when lost). */
  readonly strict: boolean | undefined;
}

export type CanonicalToolChoice =
  | { readonly type: "auto" }
  | { readonly type: "none" }
  | { readonly type: "required" }
  | { readonly type: "tool"; readonly name: string };

export type CanonicalResponseFormat =
  | { readonly type: "text" }
  | { readonly type: "json" }
  | {
      readonly type: "json-schema";
      readonly name: string;
      readonly schema: Readonly<Record<string, unknown>>;
      readonly strict: boolean | undefined;
    };

export interface CanonicalChatRequest {
  readonly model: string;
  /** System and developer instructions, in order; each entry was one message or block. */
  readonly system: readonly string[];
  readonly messages: readonly CanonicalMessage[];
  readonly stream: boolean;
  readonly maxTokens: number | undefined;
  readonly temperature: number | undefined;
  readonly topP: number | undefined;
  readonly topK: number | undefined;
  readonly stopSequences: readonly string[];
  readonly tools: readonly CanonicalTool[];
  readonly toolChoice: CanonicalToolChoice | undefined;
  /** False forbids more than one tool call per turn; undefined leaves the provider's default. */
  readonly parallelToolCalls: boolean | undefined;
  readonly responseFormat: CanonicalResponseFormat | undefined;
  /** Extended thinking: a token budget (Anthropic) or an effort (OpenAI reasoning models). */
  readonly reasoning:
    | { readonly budgetTokens: number | undefined; readonly effort: string | undefined }
    | undefined;
  /** The end user, for the provider's abuse monitoring (OpenAI `user`, Anthropic `metadata.user_id`). */
  readonly user: string | undefined;
  /** How many choices to generate; only OpenAI honours more than one. */
  readonly choiceCount: number | undefined;
}

/** Unified finish reasons; the provider's own value is always kept beside it. */
export type UnifiedFinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "error" | "other";

export interface CanonicalFinishReason {
  readonly unified: UnifiedFinishReason;
  /** The provider's value (`end_turn`, `tool_use`, `stop`, …); null when it sent none. */
  readonly raw: string | null;
  /** The stop sequence that ended the turn, when the provider says which. */
  readonly stopSequence?: string | null;
}

/**
 * Token counts. `inputTokens` is the total prompt size including cached reads and cache writes (OpenAI's
 * `prompt_tokens` convention; Anthropic reports the three separately). Unknown counts are null, never zero.
 */
export interface CanonicalUsage {
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly cacheReadTokens: number | null;
  readonly cacheWriteTokens: number | null;
  readonly reasoningTokens: number | null;
}

export interface CanonicalChatResult {
  readonly id: string;
  readonly model: string;
  readonly content: readonly CanonicalAssistantPart[];
  readonly finishReason: CanonicalFinishReason;
  readonly usage: CanonicalUsage;
}

export const emptyUsage: CanonicalUsage = {
  inputTokens: null,
  outputTokens: null,
  cacheReadTokens: null,
  cacheWriteTokens: null,
  reasoningTokens: null,
};
