import type { PolicyStage } from "../../core/gateway-config.js";
import type { StreamChunkGuard } from "../openai-stream-relay.js";
import type { RequestPolicy } from "./request-policy.js";

/**
 * Visits the texts a request carries. Each returns the text to put in its place (itself to leave it). `param`
 * is the text's path in the body (`messages.2.content.0.text`), as block errors name it.
 */
export interface RequestTextVisitor {
  /** Prose the model reads: message text, system prompt, tool results. */
  text(text: string, stage: PolicyStage, param: string): string;
  /** One string inside structured data (earlier tool-call arguments): rewriting it cannot break the structure. */
  value(text: string, stage: PolicyStage, param: string): string;
}

/** Where a dialect's request body carries text for the input and indirect stages, and where the canary goes. */
export interface ChatRequestSurface {
  /** The body with every text replaced by what the visitor returns; images and unknown parts untouched. */
  rewriteTexts(body: Readonly<Record<string, unknown>>, visitor: RequestTextVisitor): Record<string, unknown>;
  /** The body with the canary line in front of its system prompt (after the input stages, so never scanned). */
  addCanary(body: Readonly<Record<string, unknown>>, canaryLine: string): Record<string, unknown>;
}

/** How output and tool policies, and placeholder restoring, reach a dialect's answers. */
export interface ChatAnswerSurface {
  /** Guards a whole (non-streamed) answer body; throws the policy's `GatewayError` to block. */
  guardBody(
    answer: Record<string, unknown>,
    policy: RequestPolicy,
    requestBody: Record<string, unknown>,
  ): Record<string, unknown>;
  /** A guard for one streamed answer, event by event. */
  createStreamGuard(policy: RequestPolicy, requestBody: Record<string, unknown>): StreamChunkGuard;
}

/** The safety surface of one client chat dialect: both sides. */
export interface ChatSurface extends ChatRequestSurface, ChatAnswerSurface {}

/** The visitor that collects the prose texts (for one moderation call) and changes nothing. */
export function collectTexts(surface: ChatRequestSurface, body: Readonly<Record<string, unknown>>): string[] {
  const texts = new Set<string>();
  surface.rewriteTexts(body, {
    text: (text) => {
      if (text !== "") texts.add(text);
      return text;
    },
    value: (text) => text,
  });
  return [...texts];
}
