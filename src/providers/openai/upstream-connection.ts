import { Agent } from "undici";
import type { ProviderConfig } from "../../core/gateway-config.js";

/** A keep-alive pool to one provider, with the provider's connect, headers and idle timeouts. */
export function createUpstreamDispatcher(config: ProviderConfig, connections: number): Agent {
  return new Agent({
    connect: { timeout: config.timeouts.connectMs },
    headersTimeout: config.timeouts.headersMs,
    bodyTimeout: config.timeouts.idleMs,
    keepAliveTimeout: 30_000,
    connections,
  });
}

/** The headers every JSON call to the provider carries: its configured headers (lower-cased) and its key. */
export function staticUpstreamHeaders(config: ProviderConfig): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...Object.fromEntries(Object.entries(config.headers).map(([name, value]) => [name.toLowerCase(), value])),
  };
  if (config.apiKey !== undefined) headers.authorization = `Bearer ${config.apiKey}`;
  return headers;
}
