import { type ErrorCode, errorCatalog } from "./error-catalog.js";

export interface GatewayErrorOptions {
  /** The request field at fault, for OpenAI's `param`. */
  readonly param?: string;
  /** Overrides the catalog status, e.g. to pass an upstream 429 through unchanged. */
  readonly status?: number;
  /** Seconds a client should wait before retrying; becomes `Retry-After`. */
  readonly retryAfterSeconds?: number;
  readonly cause?: unknown;
}

/** An error with a stable catalog code; the HTTP layer renders it in the caller's dialect. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly param: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    this.code = code;
    this.status = options.status ?? errorCatalog[code].status;
    this.param = options.param;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get type(): string {
    return errorCatalog[this.code].type;
  }

  get retryable(): boolean {
    return errorCatalog[this.code].retryable;
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError;
}
