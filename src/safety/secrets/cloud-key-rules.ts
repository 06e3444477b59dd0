import { contextualSecretRule } from "./contextual-secret-rule.js";
import { credentialWordPattern, textAround, textBefore } from "./credential-context.js";
import { prefixedTokenRule } from "./prefixed-token-rule.js";
import { shannonEntropy } from "./shannon-entropy.js";

/** Long-term (`AKIA`) and temporary (`ASIA`) access key ids: four letters and 16 base32 characters. */
export const awsAccessKeyIdPattern = /\b(?:AKIA|ASIA|ABIA|ACCA)([A-Z2-7]{16})\b/g;
export const awsSecretAccessKeyPattern = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
export const awsSecretKeywordPattern = /aws.{0,24}secret|secret.?access.?key/i;
export const azureConnectionStringPattern =
  /(?:\bDefaultEndpointsProtocol=https?;)?\bAccountName=[a-z0-9]{3,24};AccountKey=[A-Za-z0-9+/]{86}==/g;
export const azureStorageKeyPattern = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])/g;
export const azureStorageContextPattern = /accountkey|azure|storage/i;
/** Entra ID (Azure AD) client secrets carry `Q~` after three characters and a digit. */
export const azureAdClientSecretPattern =
  /(?<![A-Za-z0-9_~.-])[A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34}(?![A-Za-z0-9_~.-])/g;
export const twilioAuthTokenPattern = /(?<![A-Za-z0-9])[0-9a-f]{32}(?![A-Za-z0-9])/g;
export const twilioContextPattern = /twilio/i;
export const authTokenWordPattern = /auth.?token|token|secret/i;

/** Random 40-character AWS secrets carry about 5 bits per character; hex digests and words fall below 4. */
const randomBase64Entropy = 4;
/** How far from an access key id its secret may stand in a config file or a pasted snippet. */
const companionWindow = 300;

export const awsWordPattern = /aws/i;
/** Subresource-integrity digests in lockfiles (`sha512-…==`) have the shape of a storage key. */
export const integrityDigestPrefixPattern = /sha(?:256|384|512)-$/;
export const awsAccessKeyIdNearbyPattern = /\b(?:AKIA|ASIA)[A-Z2-7]{16}\b/;

function hasMixedCaseAndDigit(value: string): boolean {
  let lower = false;
  let upper = false;
  let digit = false;
  for (const character of value) {
    lower ||= character >= "a" && character <= "z";
    upper ||= character >= "A" && character <= "Z";
    digit ||= character >= "0" && character <= "9";
  }
  return lower && upper && digit;
}

export const awsAccessKeyIdRule = prefixedTokenRule([
  { type: "AWS_ACCESS_KEY_ID", pattern: awsAccessKeyIdPattern, score: 0.9 },
]);

export const cloudSecretRule = contextualSecretRule([
  {
    type: "AWS_SECRET_ACCESS_KEY",
    pattern: awsSecretAccessKeyPattern,
    score(value, text, start, end) {
      if (!hasMixedCaseAndDigit(value) || shannonEntropy(value) < randomBase64Entropy) return undefined;
      if (integrityDigestPrefixPattern.test(textBefore(text, start))) return undefined;
      if (awsSecretKeywordPattern.test(textBefore(text, start))) return 0.9;
      const nearby = textAround(text, start, end, companionWindow);
      if (awsAccessKeyIdNearbyPattern.test(nearby)) return 0.85;
      return credentialWordPattern.test(textBefore(text, start, 40)) && awsWordPattern.test(nearby)
        ? 0.8
        : undefined;
    },
  },
  { type: "AZURE_STORAGE_CONNECTION_STRING", pattern: azureConnectionStringPattern, score: () => 0.97 },
  {
    type: "AZURE_STORAGE_KEY",
    pattern: azureStorageKeyPattern,
    score(value, text, start) {
      if (!hasMixedCaseAndDigit(value)) return undefined;
      const before = textBefore(text, start);
      if (integrityDigestPrefixPattern.test(before)) return undefined;
      if (azureStorageContextPattern.test(before)) return 0.85;
      return credentialWordPattern.test(before) ? 0.7 : undefined;
    },
  },
  {
    type: "AZURE_AD_CLIENT_SECRET",
    pattern: azureAdClientSecretPattern,
    score: (_value, text, start) => (credentialWordPattern.test(textBefore(text, start)) ? 0.85 : undefined),
  },
  {
    type: "TWILIO_AUTH_TOKEN",
    pattern: twilioAuthTokenPattern,
    score(_value, text, start) {
      const before = textBefore(text, start, 120);
      return twilioContextPattern.test(before) && authTokenWordPattern.test(before) ? 0.8 : undefined;
    },
  },
]);
