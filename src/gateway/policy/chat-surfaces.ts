import {
  type ClientDialect,
  operationDialect,
  type UpstreamOperation,
} from "../../core/ports/provider-adapter.js";
import { anthropicMessagesSurface } from "./anthropic-messages-surface.js";
import type { ChatSurface } from "./chat-surface.js";
import { openAiChatSurface } from "./openai-chat-surface.js";
import { responsesSurface } from "./responses-surface.js";

/** The safety surface of each client chat dialect (a new client dialect must register one). */
export const chatSurfaces: Readonly<Record<ClientDialect, ChatSurface>> = {
  openai: openAiChatSurface,
  anthropic: anthropicMessagesSurface,
  "openai-responses": responsesSurface,
};

/** Operations whose body is not a chat (embeddings input is handled apart). */
const notChat: ReadonlySet<UpstreamOperation> = new Set(["embeddings"]);
/** Chat operations answered with something other than a model's reply: no canary, no answer to guard. */
const noReply: ReadonlySet<UpstreamOperation> = new Set(["embeddings", "messages.count_tokens"]);

/** The surface of the operation's request body, keyed by its client dialect; undefined when it is no chat. */
export function chatSurfaceFor(operation: UpstreamOperation): ChatSurface | undefined {
  return notChat.has(operation) ? undefined : chatSurfaces[operationDialect[operation]];
}

/** The surface for the operation's answer, when the answer is a model's reply that output policies look at. */
export function replySurfaceFor(operation: UpstreamOperation): ChatSurface | undefined {
  return noReply.has(operation) ? undefined : chatSurfaces[operationDialect[operation]];
}
