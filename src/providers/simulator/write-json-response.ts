import { Buffer } from "node:buffer";
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { SimulatorFaultKind } from "../../core/gateway-config.js";
import { untilAborted } from "./abortable-wait.js";

const JSON_TYPE = "application/json";

export function writeJsonResponse(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, "content-type": JSON_TYPE, "content-length": bytes.length });
  res.end(bytes);
}

/**
 * A 200 JSON body, or the non-streaming form of a body fault: `stall` sends headers and waits for the client
 * to leave; `cut-mid-stream` announces the full length, sends half and drops the connection; `malformed-sse`
 * sends a complete response whose JSON is truncated.
 */
export async function writeJsonWithFault(
  res: ServerResponse,
  body: unknown,
  fault: SimulatorFaultKind | undefined,
  headers: OutgoingHttpHeaders,
  signal: AbortSignal,
): Promise<void> {
  const bytes = Buffer.from(JSON.stringify(body));
  const half = bytes.subarray(0, Math.floor(bytes.length / 2));
  switch (fault) {
    case "stall":
      res.writeHead(200, { ...headers, "content-type": JSON_TYPE });
      res.flushHeaders();
      await untilAborted(signal);
      return;
    case "cut-mid-stream":
      res.writeHead(200, { ...headers, "content-type": JSON_TYPE, "content-length": bytes.length });
      res.write(half, () => res.destroy());
      return;
    case "malformed-sse":
      res.writeHead(200, { ...headers, "content-type": JSON_TYPE, "content-length": half.length });
      res.end(half);
      return;
    default:
      res.writeHead(200, { ...headers, "content-type": JSON_TYPE, "content-length": bytes.length });
      res.end(bytes);
  }
}
