import { AwsV4Signer } from "aws4fetch";
import type { BedrockSettings, ProviderConfig } from "../../core/gateway-config.js";
import { isRecord } from "../../core/json-value.js";
import type {
  ProviderAdapter,
  ProviderCapabilities,
  UpstreamRequest,
  UpstreamResponse,
} from "../../core/ports/provider-adapter.js";
import { openAiChatCodec } from "../openai/openai-chat-codec.js";
import { createUpstreamDispatcher, postUpstream } from "../openai/upstream-connection.js";
import { planTitanEmbeddings, readTitanEmbedding, writeOpenAiEmbeddings } from "./bedrock-embeddings.js";
import { eventStreamToSse } from "./bedrock-event-stream.js";
import { splitBedrockEnvelope } from "./bedrock-request.js";
import { bedrockAnswerFields, readBedrockError } from "./bedrock-response.js";
import { mapBounded } from "./map-bounded.js";

/** Titan embeds one text per call; this many calls of one embeddings request run at once. */
const embeddingConcurrency = 4;
const encoder = new TextEncoder();

/**
 * Speaks Bedrock Runtime: Converse and ConverseStream for chat (the request arrives already written by the
 * bedrock codec; `modelId` moves into the URL, URL-encoded, and `stream` picks the operation) and InvokeModel on
 * Titan Text Embeddings for OpenAI `/v1/embeddings`. Requests are signed with SigV4 (`aws4fetch`) or carry a
 * Bedrock API key as a bearer token; transport is the same undici pool as every other adapter. Answers are
 * adjusted so the codec can read them: error bodies get the `x-amzn-errortype` header as `__type`, JSON answers
 * and `messageStart` get the request id and model id, and the binary event stream becomes SSE.
 * `listModels` is empty: listing models is the control plane (`bedrock.<region>`), another host and API.
 */
export function createBedrockAdapter(config: ProviderConfig): ProviderAdapter {
  const baseUrl = (config.baseUrl ?? "").replace(/\/+$/, "");
  if (baseUrl === "" || config.bedrock === undefined) {
    throw new Error(`provider ${config.name}: bedrock settings missing`);
  }
  const settings: BedrockSettings = config.bedrock;
  const dispatcher = createUpstreamDispatcher(config, 256);
  const configuredHeaders = Object.fromEntries(
    Object.entries(config.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const capabilities: ProviderCapabilities = {
    dialect: "bedrock",
    operations: ["embeddings"],
    streamUsage: false,
    forwardedHeaderPrefixes: [],
  };

  async function post(
    path: string,
    accept: string,
    body: string,
    request: UpstreamRequest,
  ): Promise<UpstreamResponse> {
    const url = `${baseUrl}${path}`;
    const headers = await authorize(
      settings,
      url,
      { ...configuredHeaders, "content-type": "application/json", accept },
      body,
    );
    return postUpstream(dispatcher, url, headers, body, request.signal, config.name);
  }

  async function sendConverse(request: UpstreamRequest): Promise<UpstreamResponse> {
    const envelope = splitBedrockEnvelope(JSON.parse(request.body) as Record<string, unknown>);
    const model = encodeURIComponent(envelope.modelId);
    const response = envelope.stream
      ? await post(
          `/model/${model}/converse-stream`,
          "application/vnd.amazon.eventstream",
          JSON.stringify(envelope.body),
          request,
        )
      : await post(`/model/${model}/converse`, "application/json", JSON.stringify(envelope.body), request);
    if (response.status >= 400) return withErrorType(response);
    const fields = { requestId: headerText(response, "x-amzn-requestid"), modelId: envelope.modelId };
    if (envelope.stream) {
      const { "content-length": _length, ...headers } = response.headers;
      return {
        ...response,
        headers: { ...headers, "content-type": "text/event-stream" },
        body: eventStreamToSse(response.body, fields, config.name),
      };
    }
    return withAnswerFields(response, fields);
  }

  async function sendEmbeddings(request: UpstreamRequest): Promise<UpstreamResponse> {
    const plan = planTitanEmbeddings(JSON.parse(request.body) as Record<string, unknown>);
    const path = `/model/${encodeURIComponent(plan.modelId)}/invoke`;
    const answers = await mapBounded(plan.bodies, embeddingConcurrency, async (body) => {
      const response = await post(path, "application/json", JSON.stringify(body), request);
      return { status: response.status, response, bytes: await response.bytes() };
    });
    const failed = answers.find((answer) => answer.status >= 400);
    if (failed !== undefined) {
      const error = readBedrockError(failed.status, withType(parseJson(failed.bytes), failed.response));
      return jsonResponse(failed.status, openAiChatCodec.writeError(error), failed.response.headers);
    }
    const results = answers.map((answer) => readTitanEmbedding(parseJson(answer.bytes)));
    return jsonResponse(200, writeOpenAiEmbeddings(plan, results), answers[0]?.response.headers ?? {});
  }

  return {
    name: config.name,
    capabilities,
    send: (request) => (request.operation === "embeddings" ? sendEmbeddings(request) : sendConverse(request)),
    listModels: () => Promise.resolve([]),
    close: () => dispatcher.close(),
  };
}

/** The request headers with SigV4 (`authorization`, `x-amz-date`, `x-amz-security-token`) or the bearer key. */
async function authorize(
  settings: BedrockSettings,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<Record<string, string>> {
  const auth = settings.auth;
  if (auth.kind === "bearer") return { ...headers, authorization: `Bearer ${auth.token}` };
  const signed = await new AwsV4Signer({
    method: "POST",
    url,
    headers,
    body,
    accessKeyId: auth.accessKeyId,
    secretAccessKey: auth.secretAccessKey,
    ...(auth.sessionToken === undefined ? {} : { sessionToken: auth.sessionToken }),
    service: "bedrock",
    region: settings.region,
  }).sign();
  return Object.fromEntries(signed.headers.entries());
}

function headerText(response: UpstreamResponse, name: string): string {
  const value = response.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Copies the exception name from `x-amzn-errortype` into the error body (as `__type`) unless it names one. */
function withType(body: unknown, response: UpstreamResponse): unknown {
  const errorType = headerText(response, "x-amzn-errortype");
  if (errorType === "") return body;
  const record = isRecord(body) ? body : {};
  return typeof record.__type === "string" ? record : { ...record, __type: errorType };
}

async function withErrorType(response: UpstreamResponse): Promise<UpstreamResponse> {
  const body = withType(parseJson(await response.bytes()), response);
  return jsonResponse(response.status, isRecord(body) ? body : {}, response.headers);
}

async function withAnswerFields(
  response: UpstreamResponse,
  fields: { readonly requestId: string; readonly modelId: string },
): Promise<UpstreamResponse> {
  const bytes = await response.bytes();
  const body = parseJson(bytes);
  // Not a JSON object: handed on as it came, for the translator to refuse (GW_ERR_UPSTREAM_INVALID_RESPONSE).
  if (!isRecord(body)) return bufferedResponse(response.status, bytes, response.headers);
  return jsonResponse(
    response.status,
    {
      ...body,
      [bedrockAnswerFields.requestId]: fields.requestId,
      [bedrockAnswerFields.modelId]: fields.modelId,
    },
    response.headers,
  );
}

function jsonResponse(
  status: number,
  body: Record<string, unknown>,
  headers: UpstreamResponse["headers"],
): UpstreamResponse {
  const { "content-length": _length, "content-type": _type, ...rest } = headers;
  return bufferedResponse(status, encoder.encode(JSON.stringify(body)), {
    ...rest,
    "content-type": "application/json",
  });
}

function bufferedResponse(
  status: number,
  bytes: Uint8Array,
  headers: UpstreamResponse["headers"],
): UpstreamResponse {
  return {
    status,
    headers,
    body: (async function* () {
      yield bytes;
    })(),
    bytes: () => Promise.resolve(bytes),
  };
}
