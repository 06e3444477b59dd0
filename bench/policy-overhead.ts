/**
 * CPU cost of safety policies on the request path, measured in-process (no network), in one run:
 * `npx tsx bench/policy-overhead.ts` (also the last part of `npm run bench`). Prints µs per operation and the
 * ratio to the no-policy path: first the policy machinery with a single email regex as the detector, then the
 * full default policy with the built-in detectors (PII, secrets, injection, moderation) over a 2 KB prompt.
 */
import type { Detection, Detector } from "../src/core/detection.js";
import type { SafetyConfig } from "../src/core/gateway-config.js";
import type { GatewayContext, GatewayResponse } from "../src/gateway/gateway-context.js";
import { OpenAiStreamGuard } from "../src/gateway/policy/openai-stream-guard.js";
import { SafetyPolicies } from "../src/gateway/policy/safety-policies.js";
import { applyInputPoliciesStep } from "../src/gateway/steps/apply-input-policies-step.js";
import { createDetectors, detectorFamilies } from "../src/safety/create-detectors.js";

const emailDetector: Detector = {
  family: "pii",
  types: ["EMAIL_ADDRESS"],
  detect: (text): Detection[] =>
    [...text.matchAll(/[\w.+-]+@[\w-]+\.[a-z]{2,}/g)].map((match) => ({
      family: "pii",
      type: "EMAIL_ADDRESS",
      start: match.index,
      end: match.index + match[0].length,
      score: 0.9,
    })),
};
const anyone = { models: [], keys: [], teams: [], projects: [], riskTiers: [] };
const policy = (stages: ("input" | "output")[], action: "mask" | "block") => ({
  name: `${action}-${stages.join("-")}`,
  stages,
  scope: anyone,
  detectors: ["pii" as const],
  types: [],
  minScore: 0.5,
  action,
  dryRun: false,
});

const filler = "The quarterly report covers revenue, churn and the hiring plan for the next two quarters. ";
const body = {
  model: "gpt-4o",
  messages: [
    { role: "system", content: `You are a helpful assistant. ${filler.repeat(4)}` },
    { role: "user", content: `${filler.repeat(8)} Send it to ada@example.com and cc bob@example.org.` },
  ],
};
const ok: GatewayResponse = { kind: "body", status: 200, headers: {}, body: "" };

function perOperationUs(iterations: number, operation: () => void): number {
  for (let index = 0; index < Math.min(iterations, 2_000); index += 1) operation();
  const started = performance.now();
  for (let index = 0; index < iterations; index += 1) operation();
  return ((performance.now() - started) * 1000) / iterations;
}

function inputStep(
  config: SafetyConfig,
  detectors: readonly Detector[] = [emailDetector],
  requestBody: () => object = () => body,
): () => void {
  const safety = new SafetyPolicies({ config, detectors });
  const step = applyInputPoliciesStep(() => safety);
  return () => {
    const context = {
      requestId: "r",
      operation: "chat.completions",
      headers: {},
      body: requestBody(),
      caller: { kind: "master" },
      modelRequested: "gpt-4o",
      policy: undefined,
    } as unknown as GatewayContext;
    void step(context, async () => ok);
  };
}

const streamText = `${filler.repeat(6)}Reach ⟦EMAIL_ADDRESS_1⟧ today.`;
const deltas = streamText.match(/.{1,4}/gs) ?? [];
const chunks = deltas.map((content) =>
  JSON.stringify({
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  }),
);

function streamGuard(config: SafetyConfig | undefined): () => void {
  const safety = new SafetyPolicies({
    config: config ?? { policies: [], tools: [] },
    detectors: [emailDetector],
  });
  return () => {
    const request = safety.forRequest({ kind: "master" }, "gpt-4o", {});
    request?.applyToText("mail ada@example.com", "input", "");
    const guard = request === undefined ? undefined : new OpenAiStreamGuard(request, body);
    for (const chunk of chunks) {
      const parsed = JSON.parse(chunk) as Record<string, unknown>;
      const sent = guard === undefined ? [parsed] : guard.chunk(parsed);
      for (const each of sent) JSON.stringify(each);
    }
    guard?.end();
  };
}

const none: SafetyConfig = { policies: [], tools: [] };
const mask: SafetyConfig = { policies: [policy(["input"], "mask")], tools: [] };
const maskAndScan: SafetyConfig = {
  policies: [policy(["input"], "mask"), policy(["output"], "block")],
  tools: [],
};

const rows: [string, number, number][] = [];
const inputBase = perOperationUs(50_000, inputStep(none));
rows.push(["input step, no policy", inputBase, 1]);
const inputMask = perOperationUs(50_000, inputStep(mask));
rows.push([
  `input step, mask (2 emails in ${JSON.stringify(body).length} B)`,
  inputMask,
  inputMask / inputBase,
]);
const texts = body.messages.map((message) => message.content);
const detectorAlone = perOperationUs(50_000, () => {
  for (const text of texts) emailDetector.detect(text);
});
rows.push(["  of which the detector alone", detectorAlone, detectorAlone / inputBase]);
const streamBase = perOperationUs(2_000, streamGuard(undefined));
rows.push([`stream of ${chunks.length} chunks, parse+stringify only`, streamBase, 1]);
const streamRestore = perOperationUs(2_000, streamGuard(mask));
rows.push(["stream, restoring placeholders", streamRestore, streamRestore / streamBase]);
const streamScan = perOperationUs(500, streamGuard(maskAndScan));
rows.push(["stream, restoring + output scan", streamScan, streamScan / streamBase]);

// The full default policy: every built-in detector on the caller's input, as `switchyard init` suggests.
const detectors = createDetectors(detectorFamilies);
const fullPolicy: SafetyConfig = {
  policies: [
    { ...policy(["input"], "mask"), name: "mask-pii", stages: ["input", "indirect"] },
    { ...policy(["input"], "block"), name: "block-secrets", detectors: ["secrets"] },
    { ...policy(["input"], "block"), name: "block-injection", detectors: ["injection"], minScore: 0.67 },
    { ...policy(["input"], "block"), name: "flag-moderation", detectors: ["moderation"], action: "flag" },
  ],
  tools: [],
};
const paragraph =
  "Hi, this is Maria Lopez from the Seattle office. Please summarise the attached supplier contract, list " +
  "the payment terms and the termination clauses, and draft a short reply I can send to the vendor. ";
let prompt = "";
while (prompt.length < 2048 - 40) prompt += paragraph;
const twoKilobytePrompt = `${prompt}Reply to maria.lopez@example.com.`;
// A new prompt text for every request (a counter at the end), so no per-text cache flatters the figures.
let requestNumber = 0;
const nextPrompt = () => {
  requestNumber += 1;
  return `${twoKilobytePrompt} (${requestNumber})`;
};
const twoKilobyteBody = () => ({
  model: "gpt-4o",
  messages: [
    { role: "system", content: "You are a careful assistant for the procurement team." },
    { role: "user", content: nextPrompt() },
  ],
});
const fullBase = perOperationUs(20_000, inputStep(none, detectors, twoKilobyteBody));
rows.push([`input step, no policy (${twoKilobytePrompt.length} B prompt)`, fullBase, 1]);
const full = perOperationUs(300, inputStep(fullPolicy, detectors, twoKilobyteBody));
rows.push(["input step, full default policy, built-in detectors", full, full / fullBase]);
for (const detector of detectors) {
  const alone = perOperationUs(300, () => detector.detect(nextPrompt()));
  rows.push([`  of which ${detector.family}`, alone, alone / fullBase]);
}

console.log("| case | µs per op | ratio |\n| --- | ---: | ---: |");
for (const [name, micros, ratio] of rows)
  console.log(`| ${name} | ${micros.toFixed(2)} | ${ratio.toFixed(2)} |`);
