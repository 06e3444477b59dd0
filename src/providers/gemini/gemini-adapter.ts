import { request as undiciRequest } from "undici";
import type { ProviderConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import { isRecord, records } from "../../core/json-value.js";
import type {
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamRequest,
  UpstreamResponse,
} from "../../core/ports/provider-adapter.js";
import { writeOpenAiError } from "../openai/openai-chat-response.js";
import { createUpstreamDispatcher, postUpstream } from "../openai/upstream-connection.js";
import { warningsHeader } from "../translating-adapter.js";
import { readGeminiEmbeddingsResponse, writeGeminiEmbeddingsRequest } from "./gemini-embeddings.js";
import { splitGeminiEnvelope } from "./gemini-request.js";
import { geminiRetryDelayMs, readGeminiError } from "./gemini-response.js";

const encoder = new TextEncoder();

/**
 * Speaks Google Gemini: AI Studio (`x-goog-api-key`) by default, Vertex AI (bearer access token) when the
 * provider has `vertex` settings; either way `{baseUrl}/models/{model}:generateContent` or
 * `:streamGenerateContent?alt=sse`. Chat arrives already translated by `withDialectTranslation` as operation
 * `chat.completions` whose body is `writeGeminiRequest`'s envelope (the Gemini body plus `model` and
 * `stream`, removed here). OpenAI embeddings are native: translated here to `:batchEmbedContents` and back.
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
    operations: vertex ? [] : ["embeddings"],
    streamUsage: false,
    forwardedHeaderPrefixes: [],
  };

  const post = (upstreamRequest: UpstreamRequest, url: string, body: string) =>
    postUpstream(
      dispatcher,
      url,
      { ...upstreamRequest.traceHeaders, ...staticHeaders },
      body,
      upstreamRequest.signal,
      config.name,
    );

  async function send(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse> {
    const parsed: unknown = JSON.parse(upstreamRequest.body);
    const envelope = isRecord(parsed) ? parsed : {};
    if (upstreamRequest.operation === "embeddings") return embed(upstreamRequest, envelope);
    if (upstreamRequest.operation !== "chat.completions") {
      throw new Error(`provider ${config.name}: ${upstreamRequest.operation} is not native`);
    }
    const { model, stream, body } = splitGeminiEnvelope(envelope);
    const method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
    const response = await post(
      upstreamRequest,
      `${baseUrl}/models/${encodeURIComponent(model)}:${method}`,
      JSON.stringify(body),
    );
    return response.status >= 400 ? withRetryDelay(response) : response;
  }

  async function embed(
    upstreamRequest: UpstreamRequest,
    openAiBody: Record<string, unknown>,
  ): Promise<UpstreamResponse> {
    const warnings: string[] = [];
    const call = writeGeminiEmbeddingsRequest(openAiBody, warnings);
    const response = await post(
      upstreamRequest,
      `${baseUrl}/models/${encodeURIComponent(call.model)}:batchEmbedContents`,
      JSON.stringify(call.body),
    );
    const answer = parseOrUndefined(await response.bytes());
    if (response.status >= 400) {
      const delayMs = geminiRetryDelayMs(answer);
      return buffered(
        response.status,
        writeOpenAiError(readGeminiError(response.status, answer)),
        warnings,
        delayMs === undefined ? {} : { "retry-after-ms": String(delayMs) },
      );
    }
    if (!isRecord(answer)) {
      throw new GatewayError(
        "GW_ERR_UPSTREAM_INVALID_RESPONSE",
        `Provider ${config.name} answered with a body that is not a JSON object.`,
      );
    }
    return buffered(response.status, readGeminiEmbeddingsResponse(call, answer, warnings), warnings);
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
  if (warnings.length > 0) headers[warningsHeader] = warnings.join("; ");
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
