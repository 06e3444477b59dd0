import type { ModelPrice } from "./cost/model-price.js";

export type BudgetScope = "key" | "project" | "team";
export type BudgetPeriod = "day" | "week" | "month";

export interface BudgetConfig {
  /** Unique; named in errors, webhooks and counters. */
  readonly name: string;
  /** What the budget is per: each key, project or team has its own counter. */
  readonly scope: BudgetScope;
  /** Key ids or names, project or team names the budget covers; empty covers every one. */
  readonly match: readonly string[];
  /** Calendar-aligned in `timezone`: a day from midnight, a week from Monday, a month from the 1st. */
  readonly period: BudgetPeriod;
  readonly limitUsd: number;
  /** Default: `cost.timezone`. */
  readonly timezone?: string | undefined;
  /** Hard budgets refuse requests whose worst-case cost does not fit; soft ones only alert. */
  readonly hard: boolean;
  /** Fractions of the limit (0.5 = 50%) at which the webhook is told, once per period. */
  readonly thresholds: readonly number[];
  /** When spend reaches `atFraction` of the limit, requests go to this model group instead. */
  readonly downgrade?: { readonly model: string; readonly atFraction: number } | undefined;
}

export interface CostConfig {
  /** Price overrides in USD per million tokens, by `provider/model` or by model name. */
  readonly prices: Readonly<Record<string, ModelPrice>>;
  /** Output tokens a budget reserves for a request that sets no `max_tokens` / `max_completion_tokens`. */
  readonly defaultMaxOutputTokens: number;
  /** Count tokens with gpt-tokenizer when a provider reports no usage; such rows are flagged as estimated. */
  readonly estimateMissingUsage: boolean;
  /** `block`: a budgeted caller cannot use a model without a price (its spend could not be counted). */
  readonly unpricedModels: "allow" | "block";
  /** Default time zone of budget periods. */
  readonly timezone: string;
  /** Shared budget counters (one Lua round trip per reservation); absent: in memory, one node. */
  readonly redis?: { readonly url: string; readonly keyPrefix: string } | undefined;
  /** Threshold alerts are POSTed here as JSON. */
  readonly webhook?: { readonly url: string; readonly headers: Readonly<Record<string, string>> } | undefined;
  readonly budgets: readonly BudgetConfig[];
}
