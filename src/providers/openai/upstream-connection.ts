import { Agent, request } from "undici";
import type { CancelSignal } from "../../core/cancellation.js";
import type { ProviderConfig } from "../../core/gateway-config.js";
import type { UpstreamResponse } from "../../core/ports/provider-adapter.js";
import { dispatchPost } from "./dispatched-exchange.js";

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

/**
 * POSTs a JSON body to a provider and hands its answer back as bytes; transport failures (also while the body is
 * read) reject with the catalog's transport errors. Shared by every adapter that speaks HTTP + JSON.
 */
export function postUpstream(
  dispatcher: Agent,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  signal: CancelSignal,
  providerName: string,
): Promise<UpstreamResponse> {
  return dispatchPost(dispatcher, url, headers, body, signal, `Provider ${providerName}`);
}

/** The model ids of a provider's `GET /models` (OpenAI's list shape); empty when it does not answer 200. */
export async function listUpstreamModels(
  dispatcher: Agent,
  baseUrl: string,
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal,
): Promise<readonly string[]> {
  const response = await request(`${baseUrl}/models`, { method: "GET", dispatcher, headers, signal });
  if (response.statusCode !== 200) {
    await response.body.dump();
    return [];
  }
  const list = (await response.body.json()) as { data?: { id?: unknown }[] };
  return (list.data ?? []).map((model) => model.id).filter((id): id is string => typeof id === "string");
}
