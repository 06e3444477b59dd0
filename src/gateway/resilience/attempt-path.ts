import type { AttemptRecord } from "../gateway-context.js";

/**
 * The compact attempts summary of the request log: null for the common case of one clean attempt, else every
 * attempt as `reason target status-or-dash [failure] durationms`, joined by ` > `.
 */
export function attemptPath(attempts: readonly AttemptRecord[]): string | null {
  const [only] = attempts;
  if (attempts.length === 0 || (attempts.length === 1 && only?.outcome === "served")) return null;
  return attempts
    .map((attempt) => {
      const parts = [attempt.reason, attempt.target, attempt.status === null ? "-" : String(attempt.status)];
      if (attempt.failure !== null) parts.push(attempt.failure);
      if (attempt.breaker !== "closed") parts.push(`breaker=${attempt.breaker}`);
      parts.push(`${Math.round(attempt.durationMs)}ms`);
      return parts.join(" ");
    })
    .join(" > ");
}
