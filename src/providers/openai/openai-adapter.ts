import { request } from "undici";
import type { ProviderConfig } from "../../core/gateway-config.js";
import type {
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamOperation,
  UpstreamRequest,
  UpstreamResponse,
} from "../../core/ports/provider-adapter.js";
import { toTransportError } from "./transport-error.js";
import { createUpstreamDispatcher, staticUpstreamHeaders } from "./upstream-connection.js";

const operationPaths: Partial<Record<UpstreamOperation, string>> = {
  "chat.completions": "/chat/completions",
  embeddings: "/embeddings",
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
    operations: ["chat.completions", "embeddings"],
    streamUsage: true,
    forwardedHeaderPrefixes: options.forwardedHeaderPrefixes ?? [],
  };

  async function send(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse> {
    const path = operationPaths[upstreamRequest.operation];
    if (path === undefined)
      throw new Error(`provider ${config.name}: ${upstreamRequest.operation} is not native`);
    try {
      const response = await request(`${baseUrl}${path}`, {
        method: "POST",
        dispatcher,
        headers:
          upstreamRequest.traceHeaders === undefined
            ? { ...upstreamRequest.forwardedHeaders, ...staticHeaders }
            : { ...upstreamRequest.forwardedHeaders, ...upstreamRequest.traceHeaders, ...staticHeaders },
        body: upstreamRequest.body,
        signal: upstreamRequest.signal,
      });
      const body = response.body;
      return {
        status: response.statusCode,
        headers: response.headers,
        body: readBody(body, config.name),
        bytes: () =>
          body.arrayBuffer().then(
            (buffer) => new Uint8Array(buffer),
            (error: unknown) => {
              throw toTransportError(error, `Provider ${config.name}`);
            },
          ),
      };
    } catch (error) {
      throw toTransportError(error, `Provider ${config.name}`);
    }
  }

  async function listModels(signal: AbortSignal): Promise<readonly string[]> {
    const response = await request(`${baseUrl}/models`, {
      method: "GET",
      dispatcher,
      headers: staticHeaders,
      signal,
    });
    if (response.statusCode !== 200) {
      await response.body.dump();
      return [];
    }
    const list = (await response.body.json()) as { data?: { id?: unknown }[] };
    return (list.data ?? []).map((model) => model.id).filter((id): id is string => typeof id === "string");
  }

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

async function* readBody(body: AsyncIterable<Uint8Array>, providerName: string): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw toTransportError(error, `Provider ${providerName}`);
  }
}
