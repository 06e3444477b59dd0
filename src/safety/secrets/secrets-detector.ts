import type { Detection, Detector } from "../../core/detection.js";
import { awsAccessKeyIdRule, cloudSecretRule } from "./cloud-key-rules.js";
import { databaseUrlRule } from "./database-url-rule.js";
import { genericSecretRule } from "./generic-secret-rule.js";
import { jwtRule } from "./jwt-rule.js";
import { privateKeyRule } from "./private-key-rules.js";
import { resolveOverlaps } from "./resolve-overlaps.js";
import type { SecretRule } from "./secret-rule.js";
import { vendorTokenRule } from "./vendor-token-rules.js";

export const secretRules: readonly SecretRule[] = [
  vendorTokenRule,
  awsAccessKeyIdRule,
  cloudSecretRule,
  privateKeyRule,
  jwtRule,
  databaseUrlRule,
  genericSecretRule,
];

/**
 * Finds credentials in text: vendor formats by prefix (checksums raise certainty), keys whose shape is
 * common only next to a credential word or companion id, and high-entropy values assigned to credential
 * names. Scores: ≥ 0.95 vendor-specific or checksummed, 0.8–0.9 format plus context, 0.6–0.7 generic entropy.
 */
export function createSecretsDetector(rules: readonly SecretRule[] = secretRules): Detector {
  const types = [...new Set(rules.flatMap((rule) => rule.types))];
  return {
    family: "secrets",
    types,
    detect(text: string): Detection[] {
      const candidates = rules.flatMap((rule) => rule.find(text));
      return resolveOverlaps(candidates).map((candidate) => ({ family: "secrets", ...candidate }));
    },
  };
}
