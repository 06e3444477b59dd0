import type { ChatSurface } from "./chat-surface.js";
import { guardResponsesBody } from "./guard-responses-body.js";
import { responsesRequestSurface } from "./responses-request-surface.js";
import { ResponsesStreamGuard } from "./responses-stream-guard.js";

/**
 * OpenAI Responses: the request side (`responsesRequestSurface`), whole Response objects (`output` items) and
 * the typed event stream (`ResponsesStreamGuard`).
 */
export const responsesSurface: ChatSurface = {
  rewriteTexts: (body, visitor) => responsesRequestSurface.rewriteTexts(body, visitor),
  addCanary: (body, canaryLine) => responsesRequestSurface.addCanary(body, canaryLine),
  guardBody: guardResponsesBody,
  createStreamGuard: (policy, requestBody) => new ResponsesStreamGuard(policy, requestBody),
};
