import type { Detector, DetectorFamily } from "../../core/detection.js";
import type { SafetyConfig } from "../../core/gateway-config.js";
import type { ModerationProvider } from "../../core/ports/moderation-provider.js";
import { detectorsByFamily } from "../../safety/policy/evaluate-policies.js";
import type { PolicyOutcome } from "../../safety/policy/policy-outcomes.js";
import { type PolicySubject, selectPolicies, selectToolRules } from "../../safety/policy/select-policies.js";
import type { Caller, IncomingHeaders } from "../gateway-context.js";
import { teamAndProjectOf } from "../limits/request-attribution.js";
import { RequestPolicy } from "./request-policy.js";

/** Header a caller sets to choose the risk tier policies are scoped by (`scope.riskTiers`). */
export const riskTierHeader = "x-switchyard-risk-tier";

export interface SafetyPoliciesOptions {
  readonly config: SafetyConfig;
  readonly detectors: readonly Detector[];
  /** The line carrying the canary marker, added to the system prompt of requests a `canary` policy covers. */
  readonly canarySystemPromptLine?: string;
  /** Judges input and indirect texts for `moderation` policies in place of the local rules. */
  readonly moderationProvider?: ModerationProvider | undefined;
}

/** The configured policies and tool rules with the detectors they use; one per config, shared by requests. */
export class SafetyPolicies {
  readonly #config: SafetyConfig;
  readonly #detectors: ReadonlyMap<DetectorFamily, readonly Detector[]>;
  readonly #canaryLine: string | undefined;
  readonly moderationProvider: ModerationProvider | undefined;

  /** Throws when a policy names a detector family no detector implements, so a gap fails at start-up. */
  constructor(options: SafetyPoliciesOptions) {
    const byFamily = detectorsByFamily(options.detectors);
    for (const policy of options.config.policies) {
      const missing = policy.detectors.filter((family) => !byFamily.has(family));
      if (missing.length > 0) {
        throw new Error(
          `safety policy '${policy.name}' uses detector ${missing.join(", ")}, which is not installed`,
        );
      }
    }
    this.#config = options.config;
    this.#detectors = byFamily;
    this.#canaryLine = options.canarySystemPromptLine;
    this.moderationProvider = options.moderationProvider;
  }

  get empty(): boolean {
    return this.#config.policies.length === 0 && this.#config.tools.length === 0;
  }

  /** What applies to one request, or undefined when nothing does (the request then takes the plain path). */
  forRequest(
    caller: Caller | undefined,
    model: string | null,
    headers: IncomingHeaders,
    onOutcome?: (outcome: PolicyOutcome) => void,
  ): RequestPolicy | undefined {
    if (this.empty) return undefined;
    const subject = policySubject(caller, model, headers);
    const byStage = selectPolicies(this.#config.policies, subject);
    const toolRules = selectToolRules(this.#config.tools, subject);
    const anyPolicy = Object.values(byStage).some((policies) => policies.length > 0);
    if (!anyPolicy && toolRules.length === 0) return undefined;
    const watchesCanary = Object.values(byStage).some((policies) =>
      policies.some((policy) => policy.detectors.includes("canary")),
    );
    return new RequestPolicy({
      byStage,
      toolRules,
      detectors: this.#detectors,
      onOutcome,
      canaryLine: watchesCanary ? this.#canaryLine : undefined,
    });
  }
}

function policySubject(
  caller: Caller | undefined,
  model: string | null,
  headers: IncomingHeaders,
): PolicySubject {
  const riskTier = headers[riskTierHeader];
  const key = caller?.kind === "virtual-key" ? caller.key : undefined;
  const { team, project } = teamAndProjectOf(key);
  return {
    model,
    keyNames: key === undefined ? (caller === undefined ? [] : ["master"]) : [key.id, key.name],
    team,
    project,
    riskTier: typeof riskTier === "string" && riskTier !== "" ? riskTier : undefined,
  };
}
