import { z } from "zod";
import type { Detection } from "../../core/detection.js";
import { GatewayError } from "../../core/gateway-error.js";
import { type ModerationCategory, moderationCategories } from "../../core/moderation-category.js";

/** OpenAI's category names and ours; categories OpenAI adds later are ignored until they are mapped here. */
export const openAiModerationCategories: Readonly<Record<string, ModerationCategory>> = {
  harassment: "HARASSMENT",
  "harassment/threatening": "HARASSMENT_THREATENING",
  hate: "HATE",
  "hate/threatening": "HATE_THREATENING",
  illicit: "ILLICIT",
  "illicit/violent": "ILLICIT_VIOLENT",
  "self-harm": "SELF_HARM",
  "self-harm/instructions": "SELF_HARM_INSTRUCTIONS",
  "self-harm/intent": "SELF_HARM_INTENT",
  sexual: "SEXUAL",
  "sexual/minors": "SEXUAL_MINORS",
  violence: "VIOLENCE",
  "violence/graphic": "VIOLENCE_GRAPHIC",
};

/**
 * The fields of `POST /v1/moderations` we rely on. `illicit` categories are null (or absent) from the legacy
 * text-moderation models; `category_applied_input_types` is not needed for text and is not required.
 */
const moderationResponseSchema = z.object({
  id: z.string(),
  model: z.string(),
  results: z.array(
    z.object({
      flagged: z.boolean(),
      categories: z.record(z.string(), z.boolean().nullable()),
      category_scores: z.record(z.string(), z.number()),
    }),
  ),
});

type ModerationResult = z.infer<typeof moderationResponseSchema>["results"][number];

export interface OpenAiModerationOptions {
  /**
   * Categories scoring below this are left out unless OpenAI flagged them (omni models give every category a
   * small non-zero score). Default 0.01.
   */
  readonly minimumScore?: number;
}

export const defaultModerationModel = "omni-moderation-latest";

export function buildOpenAiModerationRequest(
  texts: readonly string[],
  model = defaultModerationModel,
): string {
  return JSON.stringify({ model, input: texts });
}

/**
 * One list of whole-text detections per input text, each category with OpenAI's score. Throws
 * GW_ERR_UPSTREAM_INVALID_RESPONSE when the body is not a moderation response for exactly these texts.
 */
export function translateOpenAiModerationResponse(
  body: unknown,
  texts: readonly string[],
  options: OpenAiModerationOptions = {},
): Detection[][] {
  const parsed = moderationResponseSchema.safeParse(body);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.join(".") ?? "";
    throw new GatewayError(
      "GW_ERR_UPSTREAM_INVALID_RESPONSE",
      `The moderation upstream answered with a body that is not a moderation response (at "${path}").`,
    );
  }
  const { results } = parsed.data;
  if (results.length !== texts.length) {
    throw new GatewayError(
      "GW_ERR_UPSTREAM_INVALID_RESPONSE",
      `The moderation upstream returned ${results.length} results for ${texts.length} inputs.`,
    );
  }
  const minimumScore = options.minimumScore ?? 0.01;
  return results.map((result, index) => toDetections(result, texts[index]?.length ?? 0, minimumScore));
}

/** Detections come out in the canonical category order, whatever order the upstream's keys had. */
const categoryRank = new Map<string, number>(moderationCategories.map((category, rank) => [category, rank]));

function toDetections(result: ModerationResult, length: number, minimumScore: number): Detection[] {
  const detections: Detection[] = [];
  for (const [name, score] of Object.entries(result.category_scores)) {
    const category = openAiModerationCategories[name];
    if (category === undefined) continue;
    const flagged = result.categories[name] === true;
    if (!flagged && score < minimumScore) continue;
    detections.push({
      family: "moderation",
      type: category,
      start: 0,
      end: length,
      score: Math.min(1, Math.max(0, score)),
    });
  }
  return detections.sort(
    (left, right) => (categoryRank.get(left.type) ?? 0) - (categoryRank.get(right.type) ?? 0),
  );
}
