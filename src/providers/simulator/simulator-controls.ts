import type { IncomingHttpHeaders } from "node:http";
import type { SimulatorFaultKind, SimulatorSettings } from "../../core/gateway-config.js";
import type { RandomSource } from "./seeded-random.js";
import type { ParseResult } from "./simulator-wire.js";

export const SIMULATOR_FAULT_KINDS: readonly SimulatorFaultKind[] = [
  "429",
  "500",
  "reset",
  "stall",
  "cut-mid-stream",
  "malformed-sse",
];

/** `Retry-After` a simulated 429 carries unless the fault says otherwise. */
export const DEFAULT_RETRY_AFTER_MS = 1000;
const MAX_LATENCY_MS = 600_000;
const MAX_OUTPUT_TOKENS = 100_000;

export interface ActiveFault {
  readonly kind: SimulatorFaultKind;
  /** Probability in [0, 1] that a request gets this fault. */
  readonly rate: number;
  /** Only for 429: the wait announced in `retry-after-ms` (and rounded up, in `retry-after`). */
  readonly retryAfterMs: number;
}

/** What one request asks of the simulator, from its `x-simulator-*` headers over the configured settings. */
export interface SimulatorControls {
  readonly faults: readonly ActiveFault[];
  readonly latencyMs: number;
  readonly outputTokens: number | undefined;
}

function isFaultKind(value: string): value is SimulatorFaultKind {
  return (SIMULATOR_FAULT_KINDS as readonly string[]).includes(value);
}

function invalid(header: string, message: string) {
  return {
    ok: false as const,
    issue: { message: `Invalid ${header} header: ${message}`, param: null, code: null },
  };
}

/**
 * Parses `x-simulator-fault`, e.g. `429;rate=0.3;retry-after-ms=200, 500;rate=0.1, reset` (no rate means 1),
 * or `none`. The header replaces the configured faults for that request, so tests are deterministic even
 * against a simulator configured with faults.
 */
export function parseFaultHeader(value: string): ParseResult<readonly ActiveFault[]> {
  const header = "x-simulator-fault";
  if (value.trim() === "none") return { ok: true, value: [] };
  const faults: ActiveFault[] = [];
  for (const entry of value.split(",")) {
    const [kindText = "", ...params] = entry.split(";").map((part) => part.trim());
    if (!isFaultKind(kindText)) {
      return invalid(
        header,
        `unknown fault '${kindText}'; expected one of ${SIMULATOR_FAULT_KINDS.join(", ")} or none.`,
      );
    }
    let rate = 1;
    let retryAfterMs = DEFAULT_RETRY_AFTER_MS;
    for (const param of params) {
      const [key = "", raw = ""] = param.split("=").map((part) => part.trim());
      const number = raw === "" ? Number.NaN : Number(raw);
      if (key === "rate" && number >= 0 && number <= 1) rate = number;
      else if (key === "retry-after-ms" && Number.isInteger(number) && number >= 0) retryAfterMs = number;
      else
        return invalid(header, `bad parameter '${param}'; expected rate=<0..1> or retry-after-ms=<integer>.`);
    }
    faults.push({ kind: kindText, rate, retryAfterMs });
  }
  return { ok: true, value: faults };
}

/** Rolls each fault in order; the first that hits applies. */
export function pickFault(faults: readonly ActiveFault[], random: RandomSource): ActiveFault | undefined {
  return faults.find((fault) => random() < fault.rate);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

function boundedInteger(text: string, min: number, max: number): number | undefined {
  const value = Number(text);
  return text.trim() !== "" && Number.isInteger(value) && value >= min && value <= max ? value : undefined;
}

export function readSimulatorControls(
  headers: IncomingHttpHeaders,
  settings: SimulatorSettings,
): ParseResult<SimulatorControls> {
  let faults: readonly ActiveFault[] = settings.faults.map((fault) => ({
    ...fault,
    retryAfterMs: DEFAULT_RETRY_AFTER_MS,
  }));
  const faultHeader = headerValue(headers, "x-simulator-fault");
  if (faultHeader !== undefined) {
    const parsed = parseFaultHeader(faultHeader);
    if (!parsed.ok) return parsed;
    faults = parsed.value;
  }
  let latencyMs = settings.latencyMs;
  const latencyHeader = headerValue(headers, "x-simulator-latency-ms");
  if (latencyHeader !== undefined) {
    const value = boundedInteger(latencyHeader, 0, MAX_LATENCY_MS);
    if (value === undefined)
      return invalid("x-simulator-latency-ms", `expected an integer in 0..${MAX_LATENCY_MS}.`);
    latencyMs = value;
  }
  let outputTokens: number | undefined;
  const outputHeader = headerValue(headers, "x-simulator-output-tokens");
  if (outputHeader !== undefined) {
    outputTokens = boundedInteger(outputHeader, 1, MAX_OUTPUT_TOKENS);
    if (outputTokens === undefined) {
      return invalid("x-simulator-output-tokens", `expected an integer in 1..${MAX_OUTPUT_TOKENS}.`);
    }
  }
  return { ok: true, value: { faults, latencyMs, outputTokens } };
}
