import type { BudgetConfig } from "../gateway-config.js";

/** A soft threshold crossed; sent to the webhook once per budget, scope value, period and threshold. */
export interface BudgetAlert {
  readonly budget: string;
  readonly scope: BudgetConfig["scope"];
  readonly scopeValue: string;
  readonly period: BudgetConfig["period"];
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly threshold: number;
  readonly spentUsd: number;
  readonly limitUsd: number;
}
