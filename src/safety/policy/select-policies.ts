import type {
  PolicyScope,
  PolicyStage,
  SafetyPolicyConfig,
  ToolPolicyConfig,
} from "../../core/gateway-config.js";

/** Who is asking, as far as scopes are concerned. Absent attributes match only scopes that do not list them. */
export interface PolicySubject {
  /** The public model name asked for. */
  readonly model: string | null;
  /** Key id and name, or `master` for the master key. */
  readonly keyNames: readonly string[];
  readonly team: string | undefined;
  readonly project: string | undefined;
  readonly riskTier: string | undefined;
}

function listMatches(list: readonly string[], value: string | null | undefined): boolean {
  return list.length === 0 || (value !== null && value !== undefined && list.includes(value));
}

export function scopeMatches(scope: PolicyScope, subject: PolicySubject): boolean {
  return (
    listMatches(scope.models, subject.model) &&
    (scope.keys.length === 0 || subject.keyNames.some((name) => scope.keys.includes(name))) &&
    listMatches(scope.teams, subject.team) &&
    listMatches(scope.projects, subject.project) &&
    listMatches(scope.riskTiers, subject.riskTier)
  );
}

/** The policies in scope for this subject, grouped by the stages they watch. */
export type PoliciesByStage = Readonly<Record<PolicyStage, readonly SafetyPolicyConfig[]>>;

export function selectPolicies(
  policies: readonly SafetyPolicyConfig[],
  subject: PolicySubject,
): PoliciesByStage {
  const byStage: Record<PolicyStage, SafetyPolicyConfig[]> = {
    input: [],
    indirect: [],
    output: [],
    "tool-call": [],
  };
  for (const policy of policies) {
    if (!scopeMatches(policy.scope, subject)) continue;
    for (const stage of policy.stages) byStage[stage].push(policy);
  }
  return byStage;
}

/** The tool rules in scope; a call must satisfy every one of them. */
export function selectToolRules(
  rules: readonly ToolPolicyConfig[],
  subject: PolicySubject,
): ToolPolicyConfig[] {
  return rules.filter((rule) => scopeMatches(rule.scope, subject));
}
