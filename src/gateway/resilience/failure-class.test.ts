import { describe, expect, it } from "vitest";
import { GatewayError } from "../../core/gateway-error.js";
import { classifyGatewayError, classifyUpstreamStatus, isHealthFailure } from "./failure-class.js";

const error = (code: string, message = "") => ({ error: { message, type: "invalid_request_error", code } });

describe("failure classes", () => {
  it("classifies upstream statuses and OpenAI error bodies", () => {
    expect(classifyUpstreamStatus(429, error("rate_limit_exceeded"))).toBe("rate-limited");
    expect(classifyUpstreamStatus(503, undefined)).toBe("server-error");
    expect(classifyUpstreamStatus(504, undefined)).toBe("timeout");
    expect(classifyUpstreamStatus(400, error("context_length_exceeded"))).toBe("context-window");
    expect(
      classifyUpstreamStatus(400, error("", "This model's maximum context length is 8192 tokens.")),
    ).toBe("context-window");
    expect(classifyUpstreamStatus(400, error("content_filter"))).toBe("content-policy");
    expect(classifyUpstreamStatus(400, error("", "Rejected by our content management policy."))).toBe(
      "content-policy",
    );
    expect(classifyUpstreamStatus(401, error("invalid_api_key"))).toBe("client-error");
  });

  it("classifies the gateway's own failures", () => {
    expect(classifyGatewayError(new GatewayError("GW_ERR_UPSTREAM_TIMEOUT", "t"))).toBe("timeout");
    expect(classifyGatewayError(new GatewayError("GW_ERR_UPSTREAM_UNREACHABLE", "r"))).toBe("server-error");
    expect(classifyGatewayError(new GatewayError("GW_ERR_POLICY_BLOCKED", "p"))).toBe("client-error");
  });

  it("counts only health failures against a target's breaker", () => {
    expect(["rate-limited", "server-error", "timeout"].every((c) => isHealthFailure(c as never))).toBe(true);
    expect(isHealthFailure("context-window")).toBe(false);
    expect(isHealthFailure("content-policy")).toBe(false);
  });
});
