import { request as undiciRequest } from "undici";
import type { CanonicalError } from "../../core/dialect-codec.js";
import type { ProviderConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { isRecord, records } from "../../core/json-value.js";
import { mergeHeaders } from "../../core/merge-headers.js";
import type {
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamRequest,
  UpstreamResponse,
} from "../../core/ports/provider-adapter.js";
import { anthropicCodec } from "../anthropic/anthropic-codec.js";
import { writeOpenAiError } from "../openai/openai-chat-response.js";
import { createUpstreamDispatcher, postUpstream } from "../openai/upstream-connection.js";
import { warningsHeader } from "../translating-adapter.js";
import { readGeminiCountTokensResponse, writeGeminiCountTokensRequest } from "./gemini-count-tokens.js";
import { readGeminiEmbeddingsResponse, writeGeminiEmbeddingsRequest } from "./gemini-embeddings.js";
import { splitGeminiEnvelope } from "./gemini-request.js";
import { geminiRetryDelayMs, readGeminiError } from "./gemini-response.js";

const encoder = new TextEncoder();

/**
 * Speaks Google Gemini: AI Studio (`x-goog-api-key`) by default, Vertex AI (bearer access token) when the
 * provider has `vertex` settings; either way `{baseUrl}/models/{model}:generateContent` or
 * `:streamGenerateContent?alt=sse`. Chat arrives already translated by `withDialectTranslation` as operation
 * `chat.completions` whose body is `writeGeminiRequest`'s envelope (the Gemini body plus `model` and
 * `stream`, removed here). OpenAI embeddings and Anthropic count_tokens are native (AI Studio): translated here
 * to `:batchEmbedContents` / `:countTokens` and back.
 */
export function createGeminiAdapter(config: ProviderConfig): ProviderAdapter {
  const baseUrl = (config.baseUrl ?? "").replace(/\/+$/, "");
  if (baseUrl === "") throw new Error(`provider ${config.name}: baseUrl is required`);
  const vertex = config.vertex !== undefined;
  const dispatcher = createUpstreamDispatcher(config, 256);
  const staticHeaders: Record<string, string> = {
    "content-type": "application/json",
    ...Object.fromEntries(Object.entries(config.headers).map(([name, value]) => [name.toLowerCase(), value])),
  };
  if (config.apiKey !== undefined) {
    if (vertex) staticHeaders.authorization = `Bearer ${config.apiKey}`;
    else staticHeaders["x-goog-api-key"] = config.apiKey;
  }
  const capabilities: ProviderCapabilities = {
    dialect: "gemini",
    // Vertex has neither batchEmbedContents nor the same countTokens body; there count_tokens is estimated.
    operations: vertex ? [] : ["embeddings", "messages.count_tokens"],
    streamUsage: false,
    forwardedHeaderPrefixes: [],
  };

  const post = (upstreamRequest: UpstreamRequest, url: string, body: string) =>
    postUpstream(
      dispatcher,
      url,
      mergeHeaders(upstreamRequest.traceHeaders, staticHeaders),
      body,
      upstreamRequest.signal,
      config.name,
    );

  async function send(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse> {
    const parsed: unknown = JSON.parse(upstreamRequest.body);
    const envelope = isRecord(parsed) ? parsed : {};
    switch (upstreamRequest.operation) {
      case "chat.completions": {
        const { model, stream, body } = splitGeminiEnvelope(envelope);
        const method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
        const response = await post(upstreamRequest, modelUrl(model, method), JSON.stringify(body));
        return response.status >= 400 ? withRetryDelay(response) : response;
      }
      case "embeddings": {
        const warnings: string[] = [];
        const call = writeGeminiEmbeddingsRequest(envelope, warnings);
        return exchange(upstreamRequest, modelUrl(call.model, "batchEmbedContents"), call.body, warnings, {
          answer: (answer) => readGeminiEmbeddingsResponse(call, answer, warnings),
          error: writeOpenAiError,
        });
      }
      case "messages.count_tokens": {
        const warnings: string[] = [];
        const canonical = anthropicCodec.readRequest(envelope, warnings);
        const call = writeGeminiCountTokensRequest(canonical, warnings);
        return exchange(upstreamRequest, modelUrl(call.model, "countTokens"), call.body, warnings, {
          answer: (answer) => readGeminiCountTokensResponse(answer),
          error: anthropicCodec.writeError,
        });
      }
      default:
        throw new Error(`provider ${config.name}: ${upstreamRequest.operation} is not native`);
    }
  }

  const modelUrl = (model: string, method: string) =>
    `${baseUrl}/models/${encodeURIComponent(model)}:${method}`;

  /**
   * One JSON call whose answer is translated here (embeddings, count_tokens): the answer into the client's
   * shape, a Google error into the client's error object with its status and RetryInfo delay kept.
   */
  async function exchange(
    upstreamRequest: UpstreamRequest,
    url: string,
    body: Record<string, unknown>,
    warnings: string[],
    translate: {
      readonly answer: (answer: Record<string, unknown>) => Record<string, unknown> | undefined;
      readonly error: (error: CanonicalError) => Record<string, unknown>;
    },
  ): Promise<UpstreamResponse> {
    const response = await post(upstreamRequest, url, JSON.stringify(body));
    const answer = parseOrUndefined(await response.bytes());
    if (response.status >= 400) {
      const delayMs = geminiRetryDelayMs(answer);
      return buffered(
        response.status,
        translate.error(readGeminiError(response.status, answer)),
        warnings,
        delayMs === undefined ? {} : { "retry-after-ms": String(delayMs) },
      );
    }
    const translated = isRecord(answer) ? translate.answer(answer) : undefined;
    if (translated === undefined) {
      throw new GatewayError(
        "GW_ERR_UPSTREAM_INVALID_RESPONSE",
        `Provider ${config.name} answered with a body that cannot be read.`,
      );
    }
    return buffered(response.status, translated, warnings);
  }

  /** `GET /models` (AI Studio): names without the `models/` prefix; empty on Vertex or any error. */
  async function listModels(signal: AbortSignal): Promise<readonly string[]> {
    if (vertex) return [];
    const response = await undiciRequest(`${baseUrl}/models?pageSize=1000`, {
      method: "GET",
      dispatcher,
      headers: staticHeaders,
      signal,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      return [];
    }
    const list: unknown = await response.body.json();
    return records(isRecord(list) ? list.models : undefined)
      .map((model) => model.name)
      .filter((name): name is string => typeof name === "string")
      .map((name) => name.replace(/^models\//, ""));
  }

  return { name: config.name, capabilities, send, listModels, close: () => dispatcher.close() };
}

/** An error answer, read whole, with Gemini's RetryInfo delay as `retry-after-ms` (for retries and the caller). */
async function withRetryDelay(response: UpstreamResponse): Promise<UpstreamResponse> {
  const bytes = await response.bytes();
  const delayMs = geminiRetryDelayMs(parseOrUndefined(bytes));
  const headers =
    delayMs === undefined || response.headers["retry-after-ms"] !== undefined
      ? response.headers
      : { ...response.headers, "retry-after-ms": String(delayMs) };
  return {
    status: response.status,
    headers,
    body: (async function* () {
      yield bytes;
    })(),
    bytes: () => Promise.resolve(bytes),
  };
}

function buffered(
  status: number,
  body: Record<string, unknown>,
  warnings: readonly string[],
  extraHeaders: Readonly<Record<string, string>> = {},
): UpstreamResponse {
  const bytes = encoder.encode(JSON.stringify(body));
  const headers: Record<string, string> = { "content-type": "application/json", ...extraHeaders };
  // Same header form as translating-adapter.ts: "; " separates warnings, so a warning's own ";" becomes ",".
  if (warnings.length > 0)
    headers[warningsHeader] = warnings.map((text) => text.replaceAll(";", ",")).join("; ");
  return {
    status,
    headers,
    body: (async function* () {
      yield bytes;
    })(),
    bytes: () => Promise.resolve(bytes),
  };
}

function parseOrUndefined(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return undefined;
  }
}
