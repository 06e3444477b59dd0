import type { ProviderConfig } from "../../core/gateway-config.js";
import type {
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamOperation,
  UpstreamRequest,
  UpstreamResponse,
} from "../../core/ports/provider-adapter.js";
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
}

/** Speaks to OpenAI or any OpenAI-compatible server (vLLM, Ollama, TGI, Groq, …) over a keep-alive pool. */
export function createOpenAiAdapter(
  config: ProviderConfig,
  options: OpenAiAdapterOptions = {},
): ProviderAdapter {
  const baseUrl = (options.baseUrl ?? config.baseUrl ?? "").replace(/\/+$/, "");
  if (baseUrl === "") throw new Error(`provider ${config.name}: baseUrl is required`);
  const dispatcher = createUpstreamDispatcher(config, 256);
  const staticHeaders = staticUpstreamHeaders(config);
  const capabilities: ProviderCapabilities = {
    dialect: "openai",
    // Only OpenAI itself serves the Responses API; other OpenAI-compatible servers (and the simulator) get
    // Responses requests translated to Chat Completions.
    operations:
      config.type === "openai"
        ? ["chat.completions", "embeddings", "responses"]
        : ["chat.completions", "embeddings"],
    streamUsage: true,
    forwardedHeaderPrefixes: options.forwardedHeaderPrefixes ?? [],
  };

  async function send(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse> {
    const path = operationPaths[upstreamRequest.operation];
    if (path === undefined)
      throw new Error(`provider ${config.name}: ${upstreamRequest.operation} is not native`);
    return postUpstream(
      dispatcher,
      `${baseUrl}${path}`,
      upstreamRequest.traceHeaders === undefined
        ? { ...upstreamRequest.forwardedHeaders, ...staticHeaders }
        : { ...upstreamRequest.forwardedHeaders, ...upstreamRequest.traceHeaders, ...staticHeaders },
      upstreamRequest.body,
      upstreamRequest.signal,
      config.name,
    );
  }

  const listModels = (signal: AbortSignal) => listUpstreamModels(dispatcher, baseUrl, staticHeaders, signal);

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
