import { request } from "undici";
import type { CancelSignal } from "../../core/cancellation.js";
import type { Detection } from "../../core/detection.js";
import type { ProviderConfig } from "../../core/gateway-config.js";
import { GatewayError } from "../../core/gateway-error.js";
import type { ModerationProvider } from "../../core/ports/moderation-provider.js";
import {
  buildOpenAiModerationRequest,
  defaultModerationModel,
  type OpenAiModerationOptions,
  translateOpenAiModerationResponse,
} from "./openai-moderation.js";
import { toTransportError } from "./transport-error.js";
import { createUpstreamDispatcher, staticUpstreamHeaders } from "./upstream-connection.js";

export interface OpenAiModerationAdapterOptions extends OpenAiModerationOptions {
  /** Default `omni-moderation-latest`. */
  readonly model?: string;
}

/** `POST {baseUrl}/moderations` on OpenAI or a compatible server, over a small keep-alive pool. */
export function createOpenAiModerationAdapter(
  config: ProviderConfig,
  options: OpenAiModerationAdapterOptions = {},
): ModerationProvider {
  const baseUrl = (config.baseUrl ?? "").replace(/\/+$/, "");
  if (baseUrl === "") throw new Error(`provider ${config.name}: baseUrl is required`);
  const dispatcher = createUpstreamDispatcher(config, 32);
  const headers = staticUpstreamHeaders(config);
  const model = options.model ?? defaultModerationModel;

  async function moderate(texts: readonly string[], signal: CancelSignal): Promise<Detection[][]> {
    if (texts.length === 0) return [];
    let status: number;
    let responseHeaders: Readonly<Record<string, string | string[] | undefined>>;
    let text: string;
    try {
      const response = await request(`${baseUrl}/moderations`, {
        method: "POST",
        dispatcher,
        headers,
        body: buildOpenAiModerationRequest(texts, model),
        signal,
      });
      status = response.statusCode;
      responseHeaders = response.headers;
      text = await response.body.text();
    } catch (error) {
      throw toTransportError(error, `Moderation provider ${config.name}`);
    }
    if (status < 200 || status > 299) throw toStatusError(status, responseHeaders, text, config.name);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw new GatewayError(
        "GW_ERR_UPSTREAM_INVALID_RESPONSE",
        `Moderation provider ${config.name} answered with a body that is not JSON.`,
        { cause: error },
      );
    }
    return translateOpenAiModerationResponse(body, texts, options);
  }

  return { name: config.name, moderate, close: () => dispatcher.close() };
}

function toStatusError(
  status: number,
  headers: Readonly<Record<string, string | string[] | undefined>>,
  text: string,
  providerName: string,
): GatewayError {
  const retryAfterSeconds = parseRetryAfter(headers["retry-after"]);
  return new GatewayError(
    "GW_ERR_UPSTREAM_ERROR",
    `Moderation provider ${providerName} answered ${status}: ${upstreamMessage(text)}`,
    retryAfterSeconds === undefined ? { status } : { status, retryAfterSeconds },
  );
}

/** The `error.message` of an OpenAI error object, or the start of whatever else the upstream sent. */
function upstreamMessage(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    const error = typeof parsed === "object" && parsed !== null ? Reflect.get(parsed, "error") : undefined;
    const message = typeof error === "object" && error !== null ? Reflect.get(error, "message") : undefined;
    if (typeof message === "string") return message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.slice(0, 200);
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.ceil(seconds) : undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
