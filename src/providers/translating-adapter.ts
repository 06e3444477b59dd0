import type { ClientChatCodec, UpstreamChatCodec } from "../core/dialect-codec.js";
import { GatewayError } from "../core/gateway-error.js";
import { isRecord } from "../core/json-value.js";
import {
  type ClientDialect,
  operationDialect,
  type ProviderAdapter,
  type UpstreamDialect,
  type UpstreamOperation,
  type UpstreamRequest,
  type UpstreamResponse,
} from "../core/ports/provider-adapter.js";
import { anthropicCodec } from "./anthropic/anthropic-codec.js";
import { bedrockCodec } from "./bedrock/bedrock-codec.js";
import { answerText, estimatedUsage, estimateInputTokens } from "./estimate-input-tokens.js";
import { geminiCodec } from "./gemini/gemini-codec.js";
import { openAiChatCodec } from "./openai/openai-chat-codec.js";
import { openAiResponsesCodec } from "./openai-responses/responses-codec.js";
import { createStreamTranslator, type StreamTranslator } from "./stream-translator.js";

/** The header (and request-log field) that lists what a translation could not carry across. */
export const warningsHeader = "x-switchyard-warnings";

const clientCodecs: Readonly<Record<ClientDialect, ClientChatCodec>> = {
  openai: openAiChatCodec,
  anthropic: anthropicCodec,
  "openai-responses": openAiResponsesCodec,
};

/**
 * Each upstream dialect's codec and the operation a translated chat request is sent as. Gemini has no client
 * dialect of its own: its adapter takes the codec's body (Gemini's plus `model` and `stream`) as
 * `chat.completions` and builds the `:generateContent` / `:streamGenerateContent` URL from it.
 */
const upstreamCodecs: Readonly<
  Record<UpstreamDialect, { readonly codec: UpstreamChatCodec; readonly operation: UpstreamOperation }>
> = {
  openai: { codec: openAiChatCodec, operation: "chat.completions" },
  anthropic: { codec: anthropicCodec, operation: "messages" },
  gemini: { codec: geminiCodec, operation: "chat.completions" },
  // The Bedrock adapter sends every translated chat request to Converse; the operation only marks it as chat.
  bedrock: { codec: bedrockCodec, operation: "chat.completions" },
};

/** Client chat operations any upstream can serve by translation. */
const translatableOperations: readonly UpstreamOperation[] = [
  "chat.completions",
  "messages",
  "messages.count_tokens",
  "responses",
];
const encoder = new TextEncoder();
const maxWarningsLength = 1000;

/**
 * Wraps an adapter so it also accepts chat requests in every client dialect: a request the adapter does not
 * serve natively is read into the canonical model and written in the upstream's dialect before `send`; the
 * answer (JSON, stream or error) is translated back. Native operations go straight to the inner adapter,
 * untouched (passthrough).
 */
export function withDialectTranslation(adapter: ProviderAdapter): ProviderAdapter {
  const native = new Set(adapter.capabilities.operations);
  const upstream = upstreamCodecs[adapter.capabilities.dialect];
  return {
    name: adapter.name,
    capabilities: {
      ...adapter.capabilities,
      operations: [
        ...adapter.capabilities.operations,
        ...translatableOperations.filter((operation) => !native.has(operation)),
      ],
    },
    listModels: (signal) => adapter.listModels(signal),
    close: () => adapter.close(),
    send(request) {
      if (native.has(request.operation)) return adapter.send(request);
      return translate(adapter, request, clientCodecs[operationDialect[request.operation]], upstream);
    },
  };
}

async function translate(
  adapter: ProviderAdapter,
  request: UpstreamRequest,
  caller: ClientChatCodec,
  upstreamSide: { readonly codec: UpstreamChatCodec; readonly operation: UpstreamOperation },
): Promise<UpstreamResponse> {
  const upstream = upstreamSide.codec;
  if (request.operation === "embeddings") {
    throw new GatewayError(
      "GW_ERR_TRANSLATION_UNSUPPORTED",
      `Provider ${adapter.name} speaks the ${upstream.dialect} dialect, which has no embeddings endpoint.`,
    );
  }
  const warnings: string[] = [];
  const canonical = caller.readRequest(JSON.parse(request.body) as Record<string, unknown>, warnings);
  if (request.operation === "messages.count_tokens") {
    warnings.push(`input_tokens estimated locally: provider ${adapter.name} has no token counting endpoint`);
    return bufferedResponse(200, { input_tokens: estimateInputTokens(canonical) }, warnings, {});
  }
  const body = upstream.writeRequest(canonical, warnings);
  // Servers not known to accept `stream_options` are not sent it; the usage they send anyway is still read.
  if (!adapter.capabilities.streamUsage) delete body.stream_options;
  const response = await adapter.send({
    ...request,
    operation: upstreamSide.operation,
    body: JSON.stringify(body),
  });
  if (response.status >= 400) {
    const error = upstream.readError(response.status, parseOrUndefined(await response.bytes()));
    return bufferedResponse(response.status, caller.writeError(error), warnings, response.headers);
  }
  if (canonical.stream) {
    return {
      status: response.status,
      headers: withWarnings(response.headers, warnings),
      body: translateStream(
        response.body,
        createStreamTranslator(upstream, caller, (text) => estimatedUsage(canonical, text)),
        adapter.name,
      ),
      bytes: () => Promise.reject(new Error("a translated stream is read through `body`")),
    };
  }
  const parsed = parseOrUndefined(await response.bytes());
  if (!isRecord(parsed)) {
    throw new GatewayError(
      "GW_ERR_UPSTREAM_INVALID_RESPONSE",
      `Provider ${adapter.name} answered with a body that is not a JSON object.`,
    );
  }
  let result = upstream.readResult(parsed);
  if (result.usage.inputTokens === null || result.usage.outputTokens === null) {
    result = { ...result, usage: estimatedUsage(canonical, answerText(result.content)) };
    warnings.push(`usage estimated locally: provider ${adapter.name} sent none`);
  }
  return bufferedResponse(response.status, caller.writeResult(result), warnings, response.headers);
}

/** Translates an SSE stream event by event; a cut upstream ends the output without the dialect's clean end. */
async function* translateStream(
  upstream: AsyncIterable<Uint8Array>,
  translator: StreamTranslator,
  providerName: string,
): AsyncIterable<Uint8Array> {
  const text = new TextDecoder();
  for await (const bytes of upstream) {
    const output = translator.feed(text.decode(bytes, { stream: true }));
    if (output !== "") yield encoder.encode(output);
    if (translator.malformed !== undefined) {
      throw new GatewayError(
        "GW_ERR_STREAM_INTERRUPTED",
        `Provider ${providerName} sent a malformed stream event (${JSON.stringify(translator.malformed)}).`,
      );
    }
  }
}

function bufferedResponse(
  status: number,
  body: Record<string, unknown>,
  warnings: readonly string[],
  headers: UpstreamResponse["headers"],
): UpstreamResponse {
  const bytes = encoder.encode(JSON.stringify(body));
  return {
    status,
    headers: withWarnings(headers, warnings),
    body: (async function* () {
      yield bytes;
    })(),
    bytes: () => Promise.resolve(bytes),
  };
}

/** Adds warnings to response headers (`x-switchyard-warnings`), after any already there. */
export function withWarnings(
  headers: UpstreamResponse["headers"],
  warnings: readonly string[],
): UpstreamResponse["headers"] {
  if (warnings.length === 0) return headers;
  // Header values must be one line of visible ASCII; field names come from the client, so the length is capped.
  const value = warnings
    .map((warning) => warning.replace(/[^\x20-\x7e]/g, "?").replaceAll(";", ","))
    .join("; ");
  // The inner adapter's own warnings (parameters a server rejects) come first.
  const earlier = headers[warningsHeader];
  const all = typeof earlier === "string" ? `${earlier}; ${value}` : value;
  return { ...headers, [warningsHeader]: all.slice(0, maxWarningsLength) };
}

function parseOrUndefined(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return undefined;
  }
}
