import { describe, expect, it } from "vitest";
import type { SimulatorSettings } from "../../core/gateway-config.js";
import {
  DEFAULT_RETRY_AFTER_MS,
  parseFaultHeader,
  pickFault,
  readSimulatorControls,
} from "./simulator-controls.js";

const settings: SimulatorSettings = {
  latencyMs: 5,
  tokensPerSecond: 0,
  models: ["sim-1"],
  faults: [{ kind: "500", rate: 0.2 }],
  embeddingDimensions: 8,
};

describe("parseFaultHeader", () => {
  it("reads kinds with optional rates and retry-after-ms", () => {
    expect(parseFaultHeader("429;rate=0.3;retry-after-ms=250, 500 ; rate=0.1,reset")).toEqual({
      ok: true,
      value: [
        { kind: "429", rate: 0.3, retryAfterMs: 250 },
        { kind: "500", rate: 0.1, retryAfterMs: DEFAULT_RETRY_AFTER_MS },
        { kind: "reset", rate: 1, retryAfterMs: DEFAULT_RETRY_AFTER_MS },
      ],
    });
    expect(parseFaultHeader("none")).toEqual({ ok: true, value: [] });
  });

  it.each(["teapot", "429;rate=2", "429;rate=", "500;colour=red", "stall;retry-after-ms=-1"])(
    "rejects %s",
    (value) => {
      expect(parseFaultHeader(value).ok).toBe(false);
    },
  );
});

describe("pickFault", () => {
  const faults = [
    { kind: "429" as const, rate: 0.5, retryAfterMs: 0 },
    { kind: "500" as const, rate: 1, retryAfterMs: 0 },
  ];

  it("applies the first fault whose roll hits", () => {
    expect(pickFault(faults, () => 0.4)?.kind).toBe("429");
    expect(pickFault(faults, () => 0.6)?.kind).toBe("500");
  });

  it("never applies a zero rate", () => {
    expect(pickFault([{ kind: "reset", rate: 0, retryAfterMs: 0 }], () => 0)).toBeUndefined();
  });
});

describe("readSimulatorControls", () => {
  it("uses the settings when no header is sent", () => {
    expect(readSimulatorControls({}, settings)).toEqual({
      ok: true,
      value: {
        faults: [{ kind: "500", rate: 0.2, retryAfterMs: DEFAULT_RETRY_AFTER_MS }],
        latencyMs: 5,
        outputTokens: undefined,
      },
    });
  });

  it("lets headers replace faults, latency and output length", () => {
    const controls = readSimulatorControls(
      { "x-simulator-fault": "none", "x-simulator-latency-ms": "0", "x-simulator-output-tokens": "120" },
      settings,
    );
    expect(controls).toEqual({ ok: true, value: { faults: [], latencyMs: 0, outputTokens: 120 } });
  });

  it("rejects malformed control headers", () => {
    expect(readSimulatorControls({ "x-simulator-latency-ms": "soon" }, settings).ok).toBe(false);
    expect(readSimulatorControls({ "x-simulator-output-tokens": "0" }, settings).ok).toBe(false);
    expect(readSimulatorControls({ "x-simulator-fault": "boom" }, settings).ok).toBe(false);
  });
});
