import { isGatewayError } from "../../core/gateway-error.js";
import { mergeHeaders } from "../../core/merge-headers.js";
import type { GatewayStep } from "../compose-steps.js";
import type { GatewayResponse } from "../gateway-context.js";
import type { RateLimiter } from "../limits/rate-limiter.js";
import { outcomeHeaders } from "../proxy-to-upstream.js";

/**
 * Admits the request against every limit rule that applies (refusing with 429 and `Retry-After` otherwise),
 * adds the `x-ratelimit-*` headers to the answer, and leaves a lease that `Gateway.complete` settles.
 */
export function rateLimitStep(limiter: RateLimiter): GatewayStep {
  return async (context, next) => {
    const decision = await limiter.admit(context);
    if (decision.kind === "unlimited") return next();
    if (decision.kind === "refused") {
      context.errorCode = decision.error.code;
      return {
        kind: "error",
        error: decision.error,
        headers: mergeHeaders(outcomeHeaders(context), decision.headers),
      };
    }
    context.rateLimit = decision.lease;
    let response: GatewayResponse;
    try {
      response = await next();
    } catch (error) {
      if (!isGatewayError(error) || context.signal.aborted) throw error;
      context.errorCode = error.code;
      return { kind: "error", error, headers: mergeHeaders(outcomeHeaders(context), decision.lease.headers) };
    }
    return { ...response, headers: mergeHeaders(response.headers, decision.lease.headers) };
  };
}
