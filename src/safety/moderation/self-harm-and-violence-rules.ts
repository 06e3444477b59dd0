import type { ModerationRule } from "./moderation-rule.js";

const selfHarmActs =
  "kill myself|end my life|end it all|take my (?:own )?life|commit suicide|hurt myself|cut myself|hang myself|overdose";

export const selfHarmIntentPattern = new RegExp(
  `\\bi(?:'m| am)?(?: really| just)? (?:want to|wanna|need to|plan to|am planning to|'m planning to|am going to|'m going to|am gonna|'m gonna|will|'ll|intend to) (?:${selfHarmActs})\\b`,
  "gi",
);
export const noWishToLivePattern = /\bi (?:don'?t|do not) want to (?:live|be alive|wake up) anymore\b/gi;
export const feelingSuicidalPattern = /\b(?:i'?m|i am|i feel|feeling) (?:so |really )?suicidal\b/gi;
export const selfHarmActPattern = new RegExp(`\\b(?:${selfHarmActs})\\b`, "gi");
export const selfHarmInstructionsPattern = new RegExp(
  `\\b(?:how (?:to|do i|can i|should i)|(?:best|painless|quickest|easiest) ways? to) (?:${selfHarmActs}|die)\\b`,
  "gi",
);
export const lethalDosePattern =
  /\bhow many [a-z]{2,20}(?: [a-z]{2,20})? (?:does it take|would it take|do i need) to (?:die|overdose|kill myself)\b/gi;

const harmVerbs = "kill|murder|stab|shoot|strangle|slit your throat|beat you to death|hurt";

export const directThreatPattern = new RegExp(
  `\\bi(?:'m| am)? (?:going to|gonna|will|'ll|am going to|'m going to) (?:${harmVerbs}) (?:you|your (?:family|kids|wife|husband))\\b`,
  "gi",
);
export const stalkingThreatPattern = /\bi know where you (?:live|work|sleep)\b/gi;
export const tellToDiePattern = /\b(?:go |you should |just )(?:kill yourself|die)\b|\bkys\b/gi;
export const graphicViolencePattern =
  /\b(?:disembowel(?:ed|ing)?|dismember(?:ed|ing)?|decapitat(?:ed|ing|e)|eviscerat(?:ed|ing|e)|entrails|brains? (?:splattered|blown out)|guts spill(?:ed|ing))\b/gi;

export const selfHarmAndViolenceRules: readonly ModerationRule[] = [
  { categories: ["SELF_HARM_INTENT"], pattern: selfHarmIntentPattern, weight: 0.9 },
  { categories: ["SELF_HARM_INTENT"], pattern: noWishToLivePattern, weight: 0.8 },
  { categories: ["SELF_HARM_INTENT"], pattern: feelingSuicidalPattern, weight: 0.8 },
  { categories: ["SELF_HARM"], pattern: selfHarmActPattern, weight: 0.55 },
  { categories: ["SELF_HARM_INSTRUCTIONS"], pattern: selfHarmInstructionsPattern, weight: 0.85 },
  { categories: ["SELF_HARM_INSTRUCTIONS"], pattern: lethalDosePattern, weight: 0.85 },
  { categories: ["HARASSMENT_THREATENING", "VIOLENCE"], pattern: directThreatPattern, weight: 0.9 },
  { categories: ["HARASSMENT_THREATENING"], pattern: stalkingThreatPattern, weight: 0.6 },
  { categories: ["HARASSMENT_THREATENING"], pattern: tellToDiePattern, weight: 0.8 },
  { categories: ["VIOLENCE_GRAPHIC"], pattern: graphicViolencePattern, weight: 0.6 },
];
