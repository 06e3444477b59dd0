import { GatewayError } from "../../core/gateway-error.js";
import type { GatewayStep } from "../compose-steps.js";
import type { Caller, IncomingHeaders } from "../gateway-context.js";
import type { KeyCache } from "../key-cache.js";

/** Accepts `Authorization: Bearer <key>` (OpenAI SDKs) or `x-api-key: <key>` (Anthropic SDKs). */
function presentedSecret(headers: IncomingHeaders): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === "string") {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  const apiKey = headers["x-api-key"];
  return typeof apiKey === "string" && apiKey !== "" ? apiKey : undefined;
}

/** The caller behind the request's key; throws the catalog's 401 errors when it is missing or refused. */
export function authenticateCaller(keys: KeyCache, headers: IncomingHeaders): Caller {
  const secret = presentedSecret(headers);
  if (secret === undefined) {
    throw new GatewayError(
      "GW_ERR_AUTH_MISSING_KEY",
      "No API key provided. Send `Authorization: Bearer <key>` or `x-api-key: <key>`.",
    );
  }
  const caller = keys.authenticate(secret);
  switch (caller) {
    case "unknown":
      throw new GatewayError("GW_ERR_AUTH_INVALID_KEY", "The API key is not valid or has been revoked.");
    case "expired":
      throw new GatewayError("GW_ERR_AUTH_KEY_EXPIRED", "The API key has expired.");
    case "rotated":
      throw new GatewayError(
        "GW_ERR_AUTH_KEY_EXPIRED",
        "The API key was rotated and its grace period is over; use the new key.",
      );
    default:
      return caller;
  }
}

export function authenticateStep(keys: KeyCache): GatewayStep {
  return (context, next) => {
    const caller = authenticateCaller(keys, context.headers);
    if (caller.kind === "virtual-key") {
      const endpoints = caller.key.allowedEndpoints;
      if (endpoints.length > 0 && !endpoints.includes(context.operation)) {
        throw new GatewayError(
          "GW_ERR_AUTH_ENDPOINT_NOT_ALLOWED",
          `This key may not call ${context.operation}; it may call: ${endpoints.join(", ")}.`,
        );
      }
    }
    context.caller = caller;
    return next();
  };
}
