import { describe, expect, it } from "vitest";
import { GatewayError } from "../../core/gateway-error.js";
import type { AttemptSpan, ChildSpan, RequestTrace } from "../../core/ports/request-tracer.js";
import type { GatewayStep } from "../compose-steps.js";
import type { GatewayContext, GatewayResponse } from "../gateway-context.js";
import { RequestTracing } from "../request-tracing.js";
import { tracedStep } from "./traced-step.js";

const ok: GatewayResponse = { kind: "body", status: 200, headers: {}, body: "" };

/** Records span starts and ends in order, as the tracer port sees them. */
function recordingTrace(events: string[]): RequestTrace {
  const child = (name: string): AttemptSpan => ({
    headers: {},
    setAttributes: () => undefined,
    end: (error?: string) => events.push(`end ${name}${error === undefined ? "" : ` ${error}`}`),
  });
  return {
    traceId: "t",
    sampled: true,
    startChild: (name): ChildSpan => {
      events.push(`start ${name}`);
      return child(name);
    },
    startAttempt: (name) => child(name),
    end: () => undefined,
  };
}

function contextWith(events: string[] | undefined): GatewayContext {
  return {
    tracing:
      events === undefined ? undefined : new RequestTracing(recordingTrace(events), "chat.completions"),
  } as unknown as GatewayContext;
}

describe("tracedStep", () => {
  it("spans the step's own work only: the span ends when the step hands on", async () => {
    const events: string[] = [];
    const step: GatewayStep = async (_context, next) => {
      events.push("scan");
      return next();
    };
    const response = await tracedStep("policy", step)(contextWith(events), async () => {
      events.push("downstream");
      return ok;
    });
    expect(response).toBe(ok);
    expect(events).toEqual(["start policy", "scan", "end policy", "downstream"]);
  });

  it("ends the span with the catalog code of an error the step raises or answers with", async () => {
    const events: string[] = [];
    const blocking: GatewayStep = async () => {
      throw new GatewayError("GW_ERR_POLICY_BLOCKED", "blocked");
    };
    await expect(tracedStep("policy", blocking)(contextWith(events), async () => ok)).rejects.toThrow(
      "blocked",
    );
    const answering: GatewayStep = async () => ({
      kind: "error",
      error: new GatewayError("GW_ERR_POLICY_BLOCKED", "blocked"),
      headers: {},
    });
    await tracedStep("answer", answering)(contextWith(events), async () => ok);
    expect(events).toEqual([
      "start policy",
      "end policy GW_ERR_POLICY_BLOCKED",
      "start answer",
      "end answer GW_ERR_POLICY_BLOCKED",
    ]);
  });

  it("calls the step directly when the request is not traced", async () => {
    const step: GatewayStep = (_context, next) => next();
    await expect(tracedStep("policy", step)(contextWith(undefined), async () => ok)).resolves.toBe(ok);
  });
});
