import type { PolicyStage } from "../../src/core/gateway-config.js";
import type { RequestTextVisitor } from "../../src/gateway/policy/chat-surface.js";

export interface VisitedText {
  readonly kind: "text" | "value";
  readonly text: string;
  readonly stage: PolicyStage;
  readonly param: string;
}

/** A visitor for surface tests: records every visit and wraps each text in `<…>` so rewrites show. */
export function recordingVisitor(): {
  readonly visitor: RequestTextVisitor;
  readonly visited: VisitedText[];
} {
  const visited: VisitedText[] = [];
  const visit = (kind: VisitedText["kind"]) => (text: string, stage: PolicyStage, param: string) => {
    visited.push({ kind, text, stage, param });
    return `<${text}>`;
  };
  return { visitor: { text: visit("text"), value: visit("value") }, visited };
}
