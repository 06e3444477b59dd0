import type { Detection, Detector } from "../../core/detection.js";
import { type ModerationCategory, moderationCategories } from "../../core/moderation-category.js";
import { abuseAndIllicitRules } from "./abuse-and-illicit-rules.js";
import { clauseBefore, mitigatingContextPattern, mitigationFactor, negationPattern } from "./context-cues.js";
import type { ModerationRule } from "./moderation-rule.js";
import { selfHarmAndViolenceRules } from "./self-harm-and-violence-rules.js";
import { sentenceSpans, spanIndexAt } from "./sentence-spans.js";

export const moderationRules: readonly ModerationRule[] = [
  ...selfHarmAndViolenceRules,
  ...abuseAndIllicitRules,
];

/** A sentence is reported for a category only at this combined score or above: precision before recall. */
export const reportingThreshold = 0.5;

/** OpenAI reports the parent category with each sub-category; so do we, at the same score. */
const parentCategory: Partial<Record<ModerationCategory, ModerationCategory>> = {
  HARASSMENT_THREATENING: "HARASSMENT",
  HATE_THREATENING: "HATE",
  SELF_HARM_INTENT: "SELF_HARM",
  SELF_HARM_INSTRUCTIONS: "SELF_HARM",
  SEXUAL_MINORS: "SEXUAL",
  ILLICIT_VIOLENT: "ILLICIT",
  VIOLENCE_GRAPHIC: "VIOLENCE",
};

interface Evidence {
  start: number;
  end: number;
  /** Product of (1 − weight) over the matches: the chance that none of them means what it says. */
  doubt: number;
}

/**
 * Local, conservative moderation: phrase rules per category, negation within the clause cancels a match,
 * a mitigating frame (help, news, fiction, education) halves its weight, and evidence is combined per
 * sentence. It reports a sentence per category, spanning the matched phrases, with the combined score.
 */
export function createModerationDetector(rules: readonly ModerationRule[] = moderationRules): Detector {
  return {
    family: "moderation",
    types: moderationCategories,
    detect(text: string): Detection[] {
      const sentences = sentenceSpans(text);
      const evidence = new Map<string, Evidence>();
      for (const rule of rules) {
        const scanner = new RegExp(rule.pattern.source, rule.pattern.flags);
        for (let match = scanner.exec(text); match !== null; match = scanner.exec(text)) {
          if (match[0].length === 0) {
            scanner.lastIndex += 1;
            continue;
          }
          const sentenceIndex = spanIndexAt(sentences, match.index);
          const [sentenceStart, sentenceEnd] = sentences[sentenceIndex] ?? [0, text.length];
          if (negationPattern.test(clauseBefore(text, sentenceStart, match.index))) continue;
          const frame = rule.mitigatedBy ?? mitigatingContextPattern;
          const mitigated = frame.test(text.slice(sentenceStart, sentenceEnd));
          const weight = rule.weight * (mitigated ? mitigationFactor : 1);
          const end = match.index + match[0].length;
          for (const category of rule.categories) {
            addEvidence(evidence, `${sentenceIndex}:${category}`, match.index, end, weight);
          }
        }
      }
      return toDetections(evidence);
    },
  };
}

function addEvidence(
  evidence: Map<string, Evidence>,
  key: string,
  start: number,
  end: number,
  weight: number,
) {
  const known = evidence.get(key);
  if (known === undefined) {
    evidence.set(key, { start, end, doubt: 1 - weight });
    return;
  }
  known.start = Math.min(known.start, start);
  known.end = Math.max(known.end, end);
  known.doubt *= 1 - weight;
}

function toDetections(evidence: ReadonlyMap<string, Evidence>): Detection[] {
  const reported = new Map<string, Detection>();
  for (const [key, { start, end, doubt }] of evidence) {
    const score = Math.round((1 - doubt) * 1000) / 1000;
    if (score < reportingThreshold) continue;
    const [sentence = "", category = ""] = key.split(":");
    const parent = parentCategory[category as ModerationCategory];
    for (const type of parent === undefined ? [category] : [category, parent]) {
      const existing = reported.get(`${sentence}:${type}`);
      if (existing === undefined || existing.score < score) {
        reported.set(`${sentence}:${type}`, { family: "moderation", type, start, end, score });
      }
    }
  }
  return [...reported.values()].sort(
    (left, right) => left.start - right.start || left.type.localeCompare(right.type),
  );
}
