import type { ProviderConfig } from "../../core/gateway-config.js";
import { mergeHeaders } from "../../core/merge-headers.js";
import type {
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamOperation,
  UpstreamRequest,
  UpstreamResponse,
} from "../../core/ports/provider-adapter.js";
import { createUpstreamDispatcher, listUpstreamModels, postUpstream } from "../openai/upstream-connection.js";

/** The API version sent when neither the config nor the client names one. */
export const defaultAnthropicVersion = "2023-06-01";

const operationPaths: Partial<Record<UpstreamOperation, string>> = {
  messages: "/messages",
  "messages.count_tokens": "/messages/count_tokens",
};

/**
 * Speaks Anthropic's Messages API: bytes in, bytes out, with `x-api-key` and `anthropic-version` set. The
 * client's `anthropic-version` and `anthropic-beta` headers are forwarded and win over the configured version.
 * The attempt's W3C trace context (`traceparent`, `tracestate`) goes upstream too, as with the OpenAI adapter.
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
    return postUpstream(
      dispatcher,
      `${baseUrl}${path}`,
      mergeHeaders(upstreamRequest.traceHeaders, staticHeaders, upstreamRequest.forwardedHeaders),
      upstreamRequest.body,
      upstreamRequest.signal,
      config.name,
    );
  }

  const listModels = (signal: AbortSignal) => listUpstreamModels(dispatcher, baseUrl, staticHeaders, signal);

  return { name: config.name, capabilities, send, listModels, close: () => dispatcher.close() };
}
