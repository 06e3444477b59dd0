import type { CancelSignal } from "../cancellation.js";

/** The wire dialects clients speak to Switchyard: their request and response bodies, streams and errors. */
export type ClientDialect = "openai" | "anthropic" | "openai-responses";

/** The wire dialects Switchyard speaks to providers. */
export type UpstreamDialect = "openai" | "anthropic" | "gemini" | "bedrock";

/** The operations clients can call; each belongs to one dialect and maps to one upstream path. */
export type UpstreamOperation =
  | "chat.completions"
  | "embeddings"
  | "messages"
  | "messages.count_tokens"
  | "responses";

/** The dialect of each operation: its request and response bodies, stream events and error objects. */
export const operationDialect: Readonly<Record<UpstreamOperation, ClientDialect>> = {
  "chat.completions": "openai",
  embeddings: "openai",
  messages: "anthropic",
  "messages.count_tokens": "anthropic",
  responses: "openai-responses",
};

/**
 * A request in the operation's dialect: the gateway rewrote only model, params and stream options. An adapter
 * whose upstream speaks another dialect translates it (see `providers/translating-adapter.ts`).
 */
export interface UpstreamRequest {
  readonly operation: UpstreamOperation;
  /** The exact bytes to send (JSON). */
  readonly body: string;
  /** The target's upstream model (also `body.model`), for adapters that put it in the URL (Azure deployments). */
  readonly model: string;
  /** Client headers the adapter declared it forwards (see `forwardedHeaderPrefixes`). */
  readonly forwardedHeaders: Readonly<Record<string, string>>;
  /** Fires when the client goes away; the adapter cancels the upstream call. */
  readonly signal: CancelSignal;
  /** W3C trace context (`traceparent`, `tracestate`) of the attempt's span, sent upstream when present. */
  readonly traceHeaders?: Readonly<Record<string, string>> | undefined;
}

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * Raw body bytes as they arrive. Reading to the end, leaving the loop early (which returns the iterator) or
   * cancelling the signal releases the connection.
   */
  readonly body: AsyncIterable<Uint8Array>;
  /** Reads the whole body (non-streaming answers); transport failures reject like `send`. */
  bytes(): Promise<Uint8Array>;
}

export interface ProviderCapabilities {
  /** The dialect the upstream speaks; requests in another dialect are translated (see `operations`). */
  readonly dialect: UpstreamDialect;
  /** Operations this adapter accepts, natively or by translation. */
  readonly operations: readonly UpstreamOperation[];
  /** Whether the upstream honours `stream_options.include_usage` (vLLM, Ollama and OpenAI do). */
  readonly streamUsage: boolean;
  /** Client header prefixes passed upstream unchanged, e.g. `x-simulator-` for fault injection. */
  readonly forwardedHeaderPrefixes: readonly string[];
}

/**
 * A thin adapter over one configured provider: it knows where and how to send bytes, never what they mean.
 * Transport failures reject with a `GatewayError` (UPSTREAM_UNREACHABLE / UPSTREAM_TIMEOUT); HTTP error statuses
 * resolve normally so the gateway can pass them through.
 */
export interface ProviderAdapter {
  readonly name: string;
  readonly capabilities: ProviderCapabilities;
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  /** Model ids the upstream offers, for `GET /v1/models` on wildcard routes; empty when unknown. */
  listModels(signal: AbortSignal): Promise<readonly string[]>;
  close(): Promise<void>;
}
