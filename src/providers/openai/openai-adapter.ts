import type { ProviderConfig } from "../../core/gateway-config.js";
import { hasHeaders, mergeHeaders } from "../../core/merge-headers.js";
import type {
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamOperation,
  UpstreamRequest,
  UpstreamResponse,
} from "../../core/ports/provider-adapter.js";
import { withWarnings } from "../translating-adapter.js";
import { dropUnsupportedParams } from "./drop-unsupported-params.js";
import {
  createUpstreamDispatcher,
  listUpstreamModels,
  postUpstream,
  staticUpstreamHeaders,
} from "./upstream-connection.js";

const operationPaths: Partial<Record<UpstreamOperation, string>> = {
  "chat.completions": "/chat/completions",
  embeddings: "/embeddings",
  responses: "/responses",
};

export interface OpenAiAdapterOptions {
  readonly forwardedHeaderPrefixes?: readonly string[];
  /** Overrides `config.baseUrl`, e.g. for the embedded simulator's ephemeral port. */
  readonly baseUrl?: string;
  readonly onClose?: () => Promise<void>;
  /**
   * Where an operation is sent, given the target's model; undefined means the operation is not served. Absent:
   * `{baseUrl}/chat/completions` and `{baseUrl}/embeddings`.
   */
  readonly operationUrl?: (operation: UpstreamOperation, model: string) => string | undefined;
  /** Replace the `Authorization: Bearer {apiKey}` header (Azure sends `api-key`). */
  readonly authHeaders?: Readonly<Record<string, string>>;
  /** Operations served natively; default: Chat and embeddings, plus Responses for `type: openai`. */
  readonly operations?: readonly UpstreamOperation[];
  /** Whether the upstream honours `stream_options.include_usage`; default true. */
  readonly streamUsage?: boolean;
  /** Replaces `GET {baseUrl}/models`. */
  readonly listModels?: (signal: AbortSignal) => Promise<readonly string[]>;
  /** Top-level request fields the server rejects; dropped before sending, each named in a warning. */
  readonly unsupportedParams?: readonly string[];
}

/**
 * Speaks to OpenAI or any OpenAI-dialect server (vLLM, Ollama, TGI, Groq, Azure OpenAI, …) over a keep-alive
 * pool. Servers differ only in where each operation goes, how the key is sent, and capabilities (options).
 */
export function createOpenAiAdapter(
  config: ProviderConfig,
  options: OpenAiAdapterOptions = {},
): ProviderAdapter {
  const baseUrl = (options.baseUrl ?? config.baseUrl ?? "").replace(/\/+$/, "");
  if (baseUrl === "") throw new Error(`provider ${config.name}: baseUrl is required`);
  const dispatcher = createUpstreamDispatcher(config, 256);
  const staticHeaders =
    options.authHeaders === undefined
      ? staticUpstreamHeaders(config)
      : { ...staticUpstreamHeaders({ ...config, apiKey: undefined }), ...options.authHeaders };
  const capabilities: ProviderCapabilities = {
    dialect: "openai",
    // Only OpenAI itself serves the Responses API; other OpenAI-compatible servers (and the simulator) get
    // Responses requests translated to Chat Completions.
    operations:
      options.operations ??
      (config.type === "openai"
        ? ["chat.completions", "embeddings", "responses"]
        : ["chat.completions", "embeddings"]),
    streamUsage: options.streamUsage ?? true,
    forwardedHeaderPrefixes: options.forwardedHeaderPrefixes ?? [],
  };
  const urlOf = (request: UpstreamRequest): string | undefined => {
    if (options.operationUrl !== undefined) return options.operationUrl(request.operation, request.model);
    const path = operationPaths[request.operation];
    return path === undefined ? undefined : `${baseUrl}${path}`;
  };

  const unsupportedParams = options.unsupportedParams ?? [];

  async function send(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse> {
    const url = urlOf(upstreamRequest);
    if (url === undefined)
      throw new Error(`provider ${config.name}: ${upstreamRequest.operation} is not native`);
    const { body, dropped } =
      unsupportedParams.length === 0
        ? { body: upstreamRequest.body, dropped: [] }
        : dropUnsupportedParams(upstreamRequest.body, unsupportedParams);
    const response = await postUpstream(
      dispatcher,
      url,
      callHeaders(upstreamRequest.forwardedHeaders, upstreamRequest.traceHeaders, staticHeaders),
      body,
      upstreamRequest.signal,
      config.name,
    );
    if (dropped.length === 0) return response;
    const warnings = dropped.map((param) => `${param} dropped: provider ${config.name} does not accept it`);
    return { ...response, headers: withWarnings(response.headers, warnings) };
  }

  const listModels =
    options.listModels ??
    ((signal: AbortSignal) => listUpstreamModels(dispatcher, baseUrl, staticHeaders, signal));

  return {
    name: config.name,
    capabilities,
    send,
    listModels,
    close: async () => {
      await dispatcher.close();
      await options.onClose?.();
    },
  };
}

/**
 * The headers of one call: forwarded client headers, trace context, then the provider's own (which win); the
 * provider's object as it is when nothing is added, the usual case.
 */
function callHeaders(
  forwarded: Readonly<Record<string, string>>,
  trace: Readonly<Record<string, string>> | undefined,
  provider: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  if (trace === undefined && !hasHeaders(forwarded)) return provider;
  return mergeHeaders(forwarded, trace, provider);
}
