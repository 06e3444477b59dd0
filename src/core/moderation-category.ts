/**
 * The moderation categories a detection of family `moderation` can carry, one per OpenAI moderation category
 * (`hate/threatening` → `HATE_THREATENING`), so local rules and provider classifiers speak one vocabulary.
 */
export const moderationCategories = [
  "HARASSMENT",
  "HARASSMENT_THREATENING",
  "HATE",
  "HATE_THREATENING",
  "ILLICIT",
  "ILLICIT_VIOLENT",
  "SELF_HARM",
  "SELF_HARM_INSTRUCTIONS",
  "SELF_HARM_INTENT",
  "SEXUAL",
  "SEXUAL_MINORS",
  "VIOLENCE",
  "VIOLENCE_GRAPHIC",
] as const;

export type ModerationCategory = (typeof moderationCategories)[number];
