import { createReadStream, statSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { SingleBar } from "cli-progress";
import type { DetectorFamily } from "../core/detection.js";
import type { PolicyStage } from "../core/gateway-config.js";
import { createDetectors, type DetectorOptions, detectorFamilies } from "../safety/create-detectors.js";
import { selectPolicies } from "../safety/policy/select-policies.js";
import { createTextScanner, type TextScanner } from "../safety/scan-text.js";
import { type ConfigSourceOptions, loadCliConfig } from "./cli-context.js";

export interface ScanOptions extends ConfigSourceOptions {
  readonly field?: string;
  readonly detectors?: string;
  readonly stage: string;
  readonly model?: string;
  readonly key?: string;
  readonly riskTier?: string;
  readonly injectionThreshold?: string;
  readonly progress: boolean;
}

const stages: readonly PolicyStage[] = ["input", "indirect", "output", "tool-call"];
/** Inputs at least this large get a progress bar (on a terminal). */
const progressFromBytes = 1024 * 1024;

/**
 * `switchyard scan [FILE|-]`: one JSON line out per line in (plain text, or JSONL with `--field`), with the
 * detections and the action the configured policies would take. A line that cannot be read gets an `error`
 * line of its own; the scan goes on.
 */
export async function scanCommand(file: string | undefined, options: ScanOptions): Promise<void> {
  const families = parseFamilies(options.detectors);
  const stage = parseStage(options.stage);
  const config = await loadCliConfig(options);
  const subject = {
    model: options.model ?? null,
    keyNames: options.key === undefined ? [] : [options.key],
    team: undefined,
    project: undefined,
    riskTier: options.riskTier,
  };
  const scanner = createTextScanner({
    detectors: createDetectors(families, detectorOptions(options)),
    policies: selectPolicies(config.safety.policies, subject)[stage],
    stage,
  });
  const fromStdin = file === undefined || file === "-";
  const input: Readable = fromStdin ? process.stdin : createReadStream(file);
  const totalBytes = fromStdin ? 0 : statSync(file).size;
  const bar =
    options.progress && totalBytes >= progressFromBytes && process.stderr.isTTY
      ? new SingleBar({ stream: process.stderr, format: "scan {bar} {percentage}% | {value}/{total} bytes" })
      : undefined;
  bar?.start(totalBytes, 0);
  let bytesRead = 0;
  let lineNumber = 0;
  let errors = 0;
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber += 1;
    bytesRead += Buffer.byteLength(line) + 1;
    bar?.update(Math.min(bytesRead, totalBytes));
    const result = scanLine(scanner, line, lineNumber, options.field);
    if ("error" in result) errors += 1;
    await writeLine(JSON.stringify(result));
  }
  bar?.stop();
  if (errors > 0) process.stderr.write(`scan: ${errors} of ${lineNumber} lines could not be read\n`);
}

type LineResult =
  | ({ readonly line: number } & ReturnType<TextScanner["scan"]>)
  | { readonly line: number; readonly error: string };

function scanLine(scanner: TextScanner, line: string, lineNumber: number, field?: string): LineResult {
  if (field === undefined) return { line: lineNumber, ...scanner.scan(line) };
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return { line: lineNumber, error: "not valid JSON" };
  }
  const text = readField(record, field);
  if (typeof text !== "string") return { line: lineNumber, error: `field '${field}' is not a string` };
  return { line: lineNumber, ...scanner.scan(text) };
}

/** Reads a dotted path (`a.b.0.c`) out of parsed JSON. */
function readField(record: unknown, path: string): unknown {
  let value = record;
  for (const part of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function writeLine(line: string): Promise<void> | undefined {
  if (process.stdout.write(`${line}\n`)) return undefined;
  return new Promise((resolve) => process.stdout.once("drain", resolve));
}

function parseFamilies(list: string | undefined): DetectorFamily[] {
  if (list === undefined) return [...detectorFamilies];
  const names = list
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !detectorFamilies.includes(name as DetectorFamily));
  if (unknown.length > 0 || names.length === 0) {
    throw new Error(`--detectors: expected a list of ${detectorFamilies.join(", ")}; got ${list}`);
  }
  return names as DetectorFamily[];
}

function detectorOptions(options: ScanOptions): DetectorOptions {
  if (options.injectionThreshold === undefined) return {};
  const threshold = Number(options.injectionThreshold);
  if (options.injectionThreshold.trim() === "" || !(threshold >= 0 && threshold <= 1))
    throw new Error(`--injection-threshold: expected a score from 0 to 1; got ${options.injectionThreshold}`);
  return { injectionThreshold: threshold };
}

function parseStage(stage: string): PolicyStage {
  if (!stages.includes(stage as PolicyStage))
    throw new Error(`--stage: expected one of ${stages.join(", ")}; got ${stage}`);
  return stage as PolicyStage;
}
