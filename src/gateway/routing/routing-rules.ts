import type { RoutingRuleConfig } from "../../core/gateway-config.js";
import type { Caller, IncomingHeaders } from "../gateway-context.js";
import type { RequestFeatures } from "./request-features.js";

/** What a rule looks at: the requested model, the caller, the headers and the requested features. */
export interface RuleSubject {
  readonly model: string;
  readonly caller: Caller | undefined;
  readonly headers: IncomingHeaders;
  readonly features: RequestFeatures;
}

/** A rule compiled once per config: lists become Sets, header names lower case. */
export interface RoutingRule {
  readonly name: string;
  matches(subject: RuleSubject): boolean;
  /** Route to this group instead of the requested one. */
  readonly group: string | undefined;
  /** Keep only targets whose label or provider name is listed. */
  readonly targets: ReadonlySet<string> | undefined;
}

type Condition = (subject: RuleSubject) => boolean;

export function compileRoutingRules(rules: readonly RoutingRuleConfig[]): RoutingRule[] {
  return rules.map((rule) => {
    const conditions = conditionsOf(rule.when);
    return {
      name: rule.name,
      matches: (subject) => conditions.every((condition) => condition(subject)),
      group: rule.use.group,
      targets: rule.use.targets === undefined ? undefined : new Set(rule.use.targets),
    };
  });
}

/** The first rule that matches, or undefined. */
export function firstMatchingRule(
  rules: readonly RoutingRule[],
  subject: RuleSubject,
): RoutingRule | undefined {
  for (const rule of rules) if (rule.matches(subject)) return rule;
  return undefined;
}

function conditionsOf(when: RoutingRuleConfig["when"]): Condition[] {
  const conditions: Condition[] = [];
  const oneOf = (values: readonly string[]) => new Set(values);
  if (when.models.length > 0) {
    const models = oneOf(when.models);
    conditions.push((subject) => models.has(subject.model));
  }
  if (when.keys.length > 0) {
    const keys = oneOf(when.keys);
    conditions.push(({ caller }) =>
      caller?.kind === "virtual-key"
        ? keys.has(caller.key.id) || keys.has(caller.key.name)
        : caller?.kind === "master" && keys.has("master"),
    );
  }
  // Teams and projects are not modelled yet; a key's `team` / `project` metadata stands in (as for policies).
  const metadata: [string, readonly string[]][] = Object.entries(when.metadata);
  if (when.teams.length > 0) metadata.push(["team", when.teams]);
  if (when.projects.length > 0) metadata.push(["project", when.projects]);
  for (const [name, values] of metadata) {
    const accepted = oneOf(values);
    conditions.push(({ caller }) => {
      const value = caller?.kind === "virtual-key" ? caller.key.metadata[name] : undefined;
      return value !== undefined && accepted.has(value);
    });
  }
  for (const [name, values] of Object.entries(when.headers)) {
    const header = name.toLowerCase();
    const accepted = oneOf(values);
    conditions.push(({ headers }) => {
      const value = headers[header];
      return typeof value === "string" && accepted.has(value);
    });
  }
  const { tools, images, jsonMode } = when.features;
  if (tools !== undefined) conditions.push(({ features }) => features.tools === tools);
  if (images !== undefined) conditions.push(({ features }) => features.images === images);
  if (jsonMode !== undefined) conditions.push(({ features }) => features.jsonMode === jsonMode);
  return conditions;
}
