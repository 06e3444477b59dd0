import { anthropicStreamingRequestBody, streamingRequestBody } from "./mock-upstream.js";
import type { PacedStreamSlice } from "./paced-stream-load.js";
import type { ProcessGroup } from "./processes.js";
import {
  type PacedStreamSettings,
  type PacedStreamSummary,
  type PacedTarget,
  summarizePacedStream,
} from "./stream-report.js";

/** The public model Switchyard serves from the paced mock. */
export const pacedModel = "gpt-4o-mini-paced";

const pacedTargets: readonly PacedTarget[] = ["direct", "switchyard", "switchyard-anthropic"];

const openAiBody = JSON.stringify({ ...JSON.parse(streamingRequestBody), model: pacedModel });
const bodies: Record<PacedTarget, string> = {
  direct: openAiBody,
  switchyard: openAiBody,
  "switchyard-anthropic": JSON.stringify({ ...JSON.parse(anthropicStreamingRequestBody), model: pacedModel }),
};

export interface PacedStreamCase {
  /** The URL a round of a target calls (Switchyard's processes take turns, as in the other cases). */
  readonly urlFor: (target: PacedTarget, round: number) => string;
  readonly headersFor: (target: PacedTarget) => Record<string, string>;
  readonly warmupFor: (round: number) => number;
  readonly sliceS: number;
  readonly rounds: number;
  readonly pacing: PacedStreamSettings;
}

/**
 * The paced streaming case: direct to the paced mock, through Switchyard (OpenAI passthrough) and as an
 * Anthropic client translated to it, taking turns within each round; TTFT and every inter-chunk gap per stream.
 */
export async function runPacedStreamCase(
  group: ProcessGroup,
  options: PacedStreamCase,
): Promise<PacedStreamSummary[]> {
  const slices = new Map<PacedTarget, PacedStreamSlice[]>(pacedTargets.map((target) => [target, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const target of pacedTargets) {
      process.stderr.write(`… ${target} paced streaming, round ${round + 1}/${options.rounds}\n`);
      const anthropic = target === "switchyard-anthropic";
      const answer = await group.runLoadChild({
        kind: "paced-stream",
        job: {
          url: options.urlFor(target, round),
          headers: options.headersFor(target),
          body: bodies[target],
          connections: options.pacing.connections,
          warmupS: options.warmupFor(round),
          durationS: options.sliceS,
          contentMarker: anthropic ? '"type":"content_block_delta"' : '"delta":{"content":',
          endMarker: anthropic ? 'data: {"type":"message_stop"}\n\n' : "data: [DONE]\n\n",
          contentEvents: options.pacing.contentChunks,
        },
      });
      if (answer.kind !== "paced-stream-result")
        throw new Error(`paced stream child for ${target}: ${JSON.stringify(answer)}`);
      slices.get(target)?.push(answer.slice);
    }
  }
  return pacedTargets.map((target) => summarizePacedStream(target, slices.get(target) ?? []));
}
