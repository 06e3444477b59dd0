import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { AwsV4Signer } from "aws4fetch";
import {
  bedrockJson,
  encodeStreamMessages,
  type RecordedError,
  type RecordedStreamMessage,
  streamMessages,
} from "../../src/providers/bedrock/test-fixtures.js";
import { startRecordingServer } from "./recording-server.js";

/** The credentials the mock accepts: SigV4 keys (checked by recomputing the signature) or a bearer API key. */
export const mockBedrockCredentials = {
  region: "us-west-2",
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  sessionToken: "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN",
  bearerToken: "ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl",
} as const;

export interface BedrockRecordedRequest {
  readonly method: string;
  readonly url: string;
  /** `converse`, `converse-stream` or `invoke`. */
  readonly operation: string;
  /** The model id decoded from the path. */
  readonly modelId: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Record<string, unknown>;
}

export type BedrockMockAnswer = (request: BedrockRecordedRequest, response: ServerResponse) => void;

export interface MockBedrockUpstream {
  readonly url: string;
  readonly requests: BedrockRecordedRequest[];
  enqueue(...answers: BedrockMockAnswer[]): void;
  close(): Promise<void>;
}

function headers(contentType: string): Record<string, string> {
  return { "content-type": contentType, "x-amzn-requestid": randomUUID() };
}

export const bedrockAnswers = {
  json(status: number, body: unknown, extra: Record<string, string> = {}): BedrockMockAnswer {
    return (_request, response) => {
      response.writeHead(status, { ...headers("application/json"), ...extra });
      response.end(JSON.stringify(body));
    };
  },
  /** A recorded error (`error-429-throttling.json`, …) with its status, `x-amzn-errortype` and body. */
  error(fixture: string): BedrockMockAnswer {
    const recorded = bedrockJson<RecordedError>(fixture);
    return bedrockAnswers.json(recorded.status, recorded.body, recorded.headers);
  },
  /** Real binary event-stream frames, the byte run split mid-frame as TCP delivers it. */
  events(messages: readonly RecordedStreamMessage[]): BedrockMockAnswer {
    return (_request, response) => {
      response.writeHead(200, headers("application/vnd.amazon.eventstream"));
      const bytes = Buffer.concat(encodeStreamMessages(messages));
      const middle = Math.floor(bytes.length / 2) + 3;
      response.write(bytes.subarray(0, middle));
      setImmediate(() => response.end(bytes.subarray(middle)));
    };
  },
};

/** True when the last user turn sends tool results back, i.e. the second leg of a tool round trip. */
function answersToolResults(body: Record<string, unknown>): boolean {
  const messages = Array.isArray(body.messages) ? (body.messages as { content?: unknown }[]) : [];
  const content = messages.at(-1)?.content;
  return Array.isArray(content) && content.some((block) => (block as { toolResult?: unknown }).toolResult);
}

/** Recorded answers: tool use when tools are offered (and not already answered), text otherwise. */
const defaultAnswer: BedrockMockAnswer = (request, response) => {
  const wantsTool = request.body.toolConfig !== undefined && !answersToolResults(request.body);
  if (request.operation === "invoke") {
    const answer = bedrockJson("titan-embedding.json");
    const words = String(request.body.inputText ?? "")
      .split(/\s+/)
      .filter(Boolean).length;
    return bedrockAnswers.json(200, { ...answer, inputTextTokenCount: words })(request, response);
  }
  if (request.operation === "converse-stream") {
    const name = wantsTool ? "converse-stream-tool-use.events.json" : "converse-stream-text.events.json";
    return bedrockAnswers.events(streamMessages(name))(request, response);
  }
  const name = wantsTool ? "converse-tool-use.json" : "converse-text.json";
  return bedrockAnswers.json(200, bedrockJson(name))(request, response);
};

/** Checks the bearer key or recomputes the SigV4 signature (same library, same inputs) and compares. */
async function authenticationFailure(
  request: Pick<IncomingMessage, "headers" | "method" | "url">,
  origin: string,
  body: string,
): Promise<string | undefined> {
  const authorization = request.headers.authorization ?? "";
  if (authorization.startsWith("Bearer ")) {
    return authorization === `Bearer ${mockBedrockCredentials.bearerToken}` ? undefined : "bad API key";
  }
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/bedrock\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(
      authorization,
    );
  if (match === null) return "malformed Authorization header";
  const [, accessKeyId, , region, signedHeaders] = match;
  if (accessKeyId !== mockBedrockCredentials.accessKeyId) return "unknown access key";
  if (region !== mockBedrockCredentials.region) return "wrong region";
  const signed = (signedHeaders ?? "").split(";");
  for (const required of ["host", "x-amz-date", "x-amz-security-token"]) {
    if (!signed.includes(required)) return `${required} is not signed`;
  }
  if (request.headers["x-amz-security-token"] !== mockBedrockCredentials.sessionToken)
    return "bad session token";
  const headersToSign: Record<string, string> = {};
  for (const name of signed) {
    const value = request.headers[name];
    if (name !== "host" && typeof value === "string") headersToSign[name] = value;
  }
  const expected = await new AwsV4Signer({
    method: request.method ?? "POST",
    url: `${origin}${request.url ?? ""}`,
    headers: headersToSign,
    body,
    accessKeyId: mockBedrockCredentials.accessKeyId,
    secretAccessKey: mockBedrockCredentials.secretAccessKey,
    sessionToken: mockBedrockCredentials.sessionToken,
    service: "bedrock",
    region: mockBedrockCredentials.region,
    datetime: String(request.headers["x-amz-date"] ?? ""),
  }).authHeader();
  return expected === authorization ? undefined : "signature mismatch";
}

const routePattern = /^\/model\/([^/]+)\/(converse|converse-stream|invoke)$/;

/**
 * A wire-faithful stand-in for bedrock-runtime.<region>.amazonaws.com on loopback: Converse, ConverseStream
 * (binary event stream) and InvokeModel (Titan embeddings), each request's signature verified first.
 */
export async function startMockBedrockUpstream(): Promise<MockBedrockUpstream> {
  const server = await startRecordingServer<BedrockRecordedRequest>({
    defaultAnswer,
    record: (base) => {
      const route = routePattern.exec(base.url);
      return {
        ...base,
        operation: route?.[2] ?? "",
        modelId: route === null ? "" : decodeURIComponent(route[1] ?? ""),
      };
    },
    refusal: async (request, body, origin) => {
      const failure = await authenticationFailure(request, origin, body);
      if (failure !== undefined) {
        const message =
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.";
        return bedrockAnswers.json(
          403,
          { message },
          { "x-amzn-errortype": `InvalidSignatureException:${failure}` },
        );
      }
      if (request.operation === "" || request.method !== "POST") {
        return bedrockAnswers.json(
          404,
          { message: "Not Found" },
          { "x-amzn-errortype": "UnknownOperationException" },
        );
      }
      return undefined;
    },
  });
  return { ...server, url: server.origin };
}
