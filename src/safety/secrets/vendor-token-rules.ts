import { hasValidBase62Checksum } from "./github-token-checksum.js";
import { type PrefixedTokenFormat, prefixedTokenRule } from "./prefixed-token-rule.js";

export const githubFineGrainedTokenPattern = /\bgithub_pat_([A-Za-z0-9]{22}_[A-Za-z0-9]{59})\b/g;
export const gitlabTokenPattern =
  /\b(?:glpat|gldt|glrt|glptt|glsoat|glft|glcbt|gloas)-([A-Za-z0-9_-]{20}(?:[A-Za-z0-9_.-]{0,280}[A-Za-z0-9_-])?)/g;
export const slackTokenPattern = /\b(?:xox[abposr]|xoxe\.xox[bp]|xoxe|xapp)-([A-Za-z0-9-]{20,250})/g;
export const slackWebhookPattern =
  /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/(T[A-Z0-9]{8,12}\/[A-Za-z0-9]{8,12}\/[A-Za-z0-9/]{20,64})/g;
export const stripeSecretKeyPattern = /\b(?:sk|rk)_live_([A-Za-z0-9]{24,247})\b/g;
export const stripeTestKeyPattern = /\b(?:sk|rk)_test_([A-Za-z0-9]{24,247})\b/g;
export const stripeWebhookSecretPattern = /\bwhsec_([A-Za-z0-9]{32,64})\b/g;
/** `T3BlbkFJ` is "OpenAI" in base64; every OpenAI key format embeds it. */
export const openAiKeyPattern =
  /\bsk-(?:(?:proj|svcacct|admin)-)?([A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200})/g;
export const openAiProjectKeyPattern = /\bsk-(?:proj|svcacct|admin)-([A-Za-z0-9_-]{40,250})/g;
export const anthropicKeyPattern =
  /\bsk-ant-(?:api|admin|oat|sid)\d{2}-([A-Za-z0-9_-]{80,110})AA(?![A-Za-z0-9_-])/g;
export const googleOauthClientSecretPattern = /\bGOCSPX-([A-Za-z0-9_-]{28})(?![A-Za-z0-9_-])/g;
export const gcpApiKeyPattern = /\bAIza([A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/g;
export const twilioApiKeyPattern = /\bSK([0-9a-f]{32})\b/g;
export const sendGridKeyPattern = /\bSG\.([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g;
export const npmTokenPattern = /\bnpm_([A-Za-z0-9]{36})\b/g;

/** `ghp_` personal, `gho_` OAuth, `ghu_` user-to-server, `ghs_` installation, `ghr_` refresh tokens. */
const githubTypes: Readonly<Record<string, string>> = {
  p: "GITHUB_TOKEN",
  o: "GITHUB_OAUTH_TOKEN",
  u: "GITHUB_APP_TOKEN",
  s: "GITHUB_APP_TOKEN",
  r: "GITHUB_REFRESH_TOKEN",
};

/** A checksum that holds makes a token near-certain; one that fails means a look-alike or a typo. */
const checksumScore = (_token: string, body: string): number => (hasValidBase62Checksum(body) ? 0.99 : 0.6);

const githubFormats: PrefixedTokenFormat[] = Object.entries(githubTypes).map(([letter, type]) => ({
  type,
  pattern: new RegExp(`\\bgh${letter}_([A-Za-z0-9]{36})\\b`, "g"),
  score: 0.99,
  verify: hasValidBase62Checksum,
  rescore: checksumScore,
}));

/** The per-kind GitHub patterns, exported for the ReDoS test. */
export const githubTokenPatternsByKind: readonly RegExp[] = githubFormats.map((format) => format.pattern);

export const vendorTokenRule = prefixedTokenRule([
  ...githubFormats,
  { type: "GITHUB_FINE_GRAINED_TOKEN", pattern: githubFineGrainedTokenPattern, score: 0.97 },
  { type: "GITLAB_TOKEN", pattern: gitlabTokenPattern, score: 0.95 },
  { type: "SLACK_TOKEN", pattern: slackTokenPattern, score: 0.95 },
  { type: "SLACK_WEBHOOK_URL", pattern: slackWebhookPattern, score: 0.95 },
  { type: "STRIPE_SECRET_KEY", pattern: stripeSecretKeyPattern, score: 0.97 },
  { type: "STRIPE_SECRET_KEY", pattern: stripeTestKeyPattern, score: 0.8 },
  { type: "STRIPE_WEBHOOK_SECRET", pattern: stripeWebhookSecretPattern, score: 0.9 },
  { type: "OPENAI_API_KEY", pattern: openAiKeyPattern, score: 0.98 },
  { type: "OPENAI_API_KEY", pattern: openAiProjectKeyPattern, score: 0.85 },
  { type: "ANTHROPIC_API_KEY", pattern: anthropicKeyPattern, score: 0.98 },
  { type: "GOOGLE_OAUTH_CLIENT_SECRET", pattern: googleOauthClientSecretPattern, score: 0.95 },
  { type: "GCP_API_KEY", pattern: gcpApiKeyPattern, score: 0.95 },
  { type: "TWILIO_API_KEY", pattern: twilioApiKeyPattern, score: 0.8 },
  { type: "SENDGRID_API_KEY", pattern: sendGridKeyPattern, score: 0.98 },
  {
    type: "NPM_TOKEN",
    pattern: npmTokenPattern,
    score: 0.9,
    verify: hasValidBase62Checksum,
    rescore: (_token, body) => (hasValidBase62Checksum(body) ? 0.99 : 0.85),
  },
]);
