import { describe, expect, it } from "vitest";
import { parseConfigText } from "./load-config.js";

const base = `
providers: [{ name: sim, type: simulator }]
models: [{ name: "*", targets: [{ provider: sim }] }]
`;

const traces = (yaml: string, environment: Record<string, string> = {}) =>
  parseConfigText(`${base}${yaml}`, "switchyard.yaml", environment).telemetry.traces;

describe("telemetry.traces", () => {
  it("is off by default, with the standard OTLP/HTTP endpoint and full sampling", () => {
    expect(traces("")).toEqual({
      enabled: false,
      endpoint: "http://localhost:4318/v1/traces",
      headers: {},
      sampleRatio: 1,
      parentBased: true,
      serviceName: "switchyard",
      scheduledDelayMs: 2000,
      maxQueueSize: 8192,
      exportTimeoutMs: 10_000,
      content: { enabled: false, maxChars: 2000, models: undefined, teams: undefined },
    });
  });

  it("turns on from an OTEL_EXPORTER_OTLP endpoint and reads the other OTEL_* variables", () => {
    expect(
      traces("", {
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/",
        OTEL_EXPORTER_OTLP_HEADERS: "x-api-key=abc%3D%3D, x-tenant = blue",
        OTEL_SERVICE_NAME: "gateway-eu",
        OTEL_TRACES_SAMPLER: "traceidratio",
        OTEL_TRACES_SAMPLER_ARG: "0.25",
      }),
    ).toMatchObject({
      enabled: true,
      endpoint: "http://collector:4318/v1/traces",
      headers: { "x-api-key": "abc==", "x-tenant": "blue" },
      serviceName: "gateway-eu",
      sampleRatio: 0.25,
      parentBased: false,
    });
    expect(
      traces("", {
        OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://traces:9999/custom",
        OTEL_TRACES_SAMPLER: "parentbased_always_off",
      }),
    ).toMatchObject({ endpoint: "http://traces:9999/custom", sampleRatio: 0, parentBased: true });
  });

  it("stays off when the SDK is disabled or the exporter is none, and the file wins over the environment", () => {
    const endpoint = { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" };
    expect(traces("", { ...endpoint, OTEL_SDK_DISABLED: "true" }).enabled).toBe(false);
    expect(traces("", { ...endpoint, OTEL_TRACES_EXPORTER: "none" }).enabled).toBe(false);
    const fromFile = traces(
      "telemetry: { traces: { enabled: false, sampleRatio: 0.5, serviceName: from-file, headers: { a: b } } }",
      { ...endpoint, OTEL_SERVICE_NAME: "from-env", OTEL_EXPORTER_OTLP_HEADERS: "c=d" },
    );
    expect(fromFile).toMatchObject({
      enabled: false,
      sampleRatio: 0.5,
      serviceName: "from-file",
      headers: { a: "b" },
      endpoint: "http://collector:4318/v1/traces",
    });
  });

  it("rejects unknown keys and out-of-range ratios", () => {
    expect(() => traces("telemetry: { traces: { sampleRate: 0.5 } }")).toThrow(/sampleRate/);
    expect(() => traces("telemetry: { traces: { sampleRatio: 2 } }")).toThrow(/sampleRatio/);
    expect(() => traces("telemetry: { logs: {} }")).toThrow(/logs/);
  });

  describe("content", () => {
    const redactEmails =
      "safety: { policies: [{ name: pii, stages: [input], detectors: [pii], action: redact }] }\n";
    const opted = "telemetry: { traces: { content: { enabled: true, maxChars: 50, teams: [alpha] } } }\n";

    it("turns on with an input policy that redacts, keeping its scope and limit", () => {
      expect(traces(`${redactEmails}${opted}`).content).toEqual({
        enabled: true,
        maxChars: 50,
        models: undefined,
        teams: ["alpha"],
      });
    });

    it("refuses to turn on without an input policy that redacts or masks for real", () => {
      expect(() => traces(opted)).toThrow(/content.*redact or mask/s);
      const flagOnly =
        "safety: { policies: [{ name: pii, stages: [input], detectors: [pii], action: flag }] }\n";
      expect(() => traces(`${flagOnly}${opted}`)).toThrow(/redact or mask/);
      const outputOnly =
        "safety: { policies: [{ name: pii, stages: [output], detectors: [pii], action: redact }] }\n";
      expect(() => traces(`${outputOnly}${opted}`)).toThrow(/redact or mask/);
      const dryRun =
        "safety: { policies: [{ name: pii, stages: [input], detectors: [pii], action: mask, dryRun: true }] }\n";
      expect(() => traces(`${dryRun}${opted}`)).toThrow(/redact or mask/);
    });
  });
});
