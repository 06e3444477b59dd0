import type { CancelSignal } from "../cancellation.js";
import type { Detection } from "../detection.js";

/**
 * A remote classifier the gateway asks about texts (OpenAI's `/v1/moderations` or a compatible server).
 * Detections have family `moderation`, a `ModerationCategory` as type, and span the whole text they judge.
 */
export interface ModerationProvider {
  readonly name: string;
  /**
   * One list of detections per input text, in input order; an empty list means nothing was found.
   * Rejects with a `GatewayError`: UPSTREAM_ERROR (the upstream's status, and `retryAfterSeconds` from a 429),
   * UPSTREAM_INVALID_RESPONSE, UPSTREAM_UNREACHABLE or UPSTREAM_TIMEOUT; an aborted signal rejects with an
   * `AbortError`.
   */
  moderate(texts: readonly string[], signal: CancelSignal): Promise<Detection[][]>;
  close(): Promise<void>;
}
