import { Agent, request, errors as undiciErrors } from "undici";
import type { ProviderConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import type {
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamOperation,
  UpstreamRequest,
  UpstreamResponse,
} from "../../core/ports/provider-adapter.js";

const operationPaths: Record<UpstreamOperation, string> = {
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
  const dispatcher = new Agent({
    connect: { timeout: config.timeouts.connectMs },
    headersTimeout: config.timeouts.headersMs,
    bodyTimeout: config.timeouts.idleMs,
    keepAliveTimeout: 30_000,
    connections: 256,
  });
  const staticHeaders: Record<string, string> = {
    "content-type": "application/json",
    ...lowerKeys(config.headers),
  };
  if (config.apiKey !== undefined) staticHeaders.authorization = `Bearer ${config.apiKey}`;
  const capabilities: ProviderCapabilities = {
    dialect: "openai",
    operations: ["chat.completions", "embeddings"],
    streamUsage: true,
    forwardedHeaderPrefixes: options.forwardedHeaderPrefixes ?? [],
  };

  async function send(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      const response = await request(`${baseUrl}${operationPaths[upstreamRequest.operation]}`, {
        method: "POST",
        dispatcher,
        headers: { ...upstreamRequest.forwardedHeaders, ...staticHeaders },
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
              throw toGatewayError(error, config.name);
            },
          ),
      };
    } catch (error) {
      throw toGatewayError(error, config.name);
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
    throw toGatewayError(error, providerName);
  }
}

/** Maps transport failures to catalog errors; an abort (client went away) stays an abort. */
function toGatewayError(error: unknown, providerName: string): unknown {
  if (error instanceof GatewayError) return error;
  if (error instanceof Error && error.name === "AbortError") return error;
  if (
    error instanceof undiciErrors.HeadersTimeoutError ||
    error instanceof undiciErrors.BodyTimeoutError ||
    error instanceof undiciErrors.ConnectTimeoutError
  ) {
    return new GatewayError(
      "GW_ERR_UPSTREAM_TIMEOUT",
      `Provider ${providerName} timed out (${error.message}).`,
      {
        cause: error,
      },
    );
  }
  const detail =
    error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
  return new GatewayError(
    "GW_ERR_UPSTREAM_UNREACHABLE",
    `Provider ${providerName} is unreachable (${detail}).`,
    {
      cause: error,
    },
  );
}

function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
