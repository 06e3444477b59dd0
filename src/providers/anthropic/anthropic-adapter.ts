import { request } from "undici";
import type { ProviderConfig } from "../../core/gateway-config.js";
import type {
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamOperation,
  UpstreamRequest,
  UpstreamResponse,
} from "../../core/ports/provider-adapter.js";
import { toTransportError } from "../openai/transport-error.js";
import { createUpstreamDispatcher } from "../openai/upstream-connection.js";

/** The API version sent when neither the config nor the client names one. */
export const defaultAnthropicVersion = "2023-06-01";

const operationPaths: Partial<Record<UpstreamOperation, string>> = {
  messages: "/messages",
  "messages.count_tokens": "/messages/count_tokens",
};

/**
 * Speaks Anthropic's Messages API: bytes in, bytes out, with `x-api-key` and `anthropic-version` set. The
 * client's `anthropic-version` and `anthropic-beta` headers are forwarded and win over the configured version.
 */
export function createAnthropicAdapter(config: ProviderConfig): ProviderAdapter {
  const baseUrl = (config.baseUrl ?? "").replace(/\/+$/, "");
  if (baseUrl === "") throw new Error(`provider ${config.name}: baseUrl is required`);
  const dispatcher = createUpstreamDispatcher(config, 256);
  const staticHeaders: Record<string, string> = {
    "content-type": "application/json",
    "anthropic-version": config.anthropicVersion ?? defaultAnthropicVersion,
    ...Object.fromEntries(Object.entries(config.headers).map(([name, value]) => [name.toLowerCase(), value])),
  };
  if (config.apiKey !== undefined) staticHeaders["x-api-key"] = config.apiKey;
  const capabilities: ProviderCapabilities = {
    dialect: "anthropic",
    operations: ["messages", "messages.count_tokens"],
    streamUsage: false,
    forwardedHeaderPrefixes: ["anthropic-"],
  };

  async function send(upstreamRequest: UpstreamRequest): Promise<UpstreamResponse> {
    const path = operationPaths[upstreamRequest.operation];
    if (path === undefined)
      throw new Error(`provider ${config.name}: ${upstreamRequest.operation} is not native`);
    try {
      const response = await request(`${baseUrl}${path}`, {
        method: "POST",
        dispatcher,
        headers: { ...staticHeaders, ...upstreamRequest.forwardedHeaders },
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

  return { name: config.name, capabilities, send, listModels, close: () => dispatcher.close() };
}

async function* readBody(body: AsyncIterable<Uint8Array>, providerName: string): AsyncIterable<Uint8Array> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    throw toTransportError(error, `Provider ${providerName}`);
  }
}
