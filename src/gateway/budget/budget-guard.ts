import type { BudgetAlert } from "../../core/cost/budget-alert.js";
import { type PeriodWindow, periodWindow } from "../../core/cost/budget-period.js";
import { worstCaseCost } from "../../core/cost/compute-cost.js";
import type { BudgetConfig, BudgetScope } from "../../core/gateway-config.js";
import { GatewayError, isGatewayError } from "../../core/gateway-error.js";
import type {
  BudgetCounterStore,
  CounterCharge,
  ReserveOutcome,
} from "../../core/ports/budget-counter-store.js";
import type { RequestLogStore } from "../../core/ports/request-log-store.js";
import type { GatewayStep } from "../compose-steps.js";
import type { CostAccountant } from "../cost/cost-accountant.js";
import { attributionOf, type RequestAttribution } from "../cost/request-attribution.js";
import type { GatewayContext } from "../gateway-context.js";
import type { ResolvedRoute } from "../route-table.js";

/** Counters are integer nano-USD: exact sums, and far below 2^53 for any real budget. */
export const nanoUsdPerUsd = 1_000_000_000;
/** Counters outlive their period by a day, so a late settle still finds its counter. */
const counterGraceMs = 86_400_000;

interface ReservationLine {
  readonly budget: BudgetConfig;
  readonly scopeValue: string;
  readonly window: PeriodWindow;
  readonly charge: CounterCharge;
}

/** What a request holds against its budgets until it ends. */
export interface BudgetReservation {
  readonly lines: readonly ReservationLine[];
  /** Nano-USD reserved on every line. */
  readonly amount: number;
}

export interface BudgetGuardOptions {
  readonly budgets: readonly BudgetConfig[];
  readonly defaultTimeZone: string;
  readonly counters: BudgetCounterStore;
  readonly costs: CostAccountant;
  readonly defaultMaxOutputTokens: number;
  readonly unpricedModels: "allow" | "block";
  /** Claims an alert name once, durably (across restarts and nodes); true when this call claimed it. */
  readonly claimAlert: (name: string, expiresAtMs: number) => Promise<boolean>;
  readonly onAlert: (alert: BudgetAlert) => void;
  readonly onError: (error: unknown) => void;
  /** Told of each request the budgets refuse (the metrics hook). */
  readonly onRefusal?: ((refusal: BudgetRefusal) => void) | undefined;
  readonly now?: () => number;
}

/**
 * Why a request was refused: a hard budget of that scope could not cover it (`exceeded`), a target has no
 * price (`unpriced`), or the counters did not answer (`unavailable`); the last two concern every applicable
 * budget, so their scope is `any`.
 */
export interface BudgetRefusal {
  readonly scope: BudgetScope | "any";
  readonly reason: "exceeded" | "unpriced" | "unavailable";
}

/**
 * USD budgets per key, project or team: reserve the worst-case cost before the call (refusing what does not
 * fit, or downgrading to a cheaper model when configured), settle to the actual cost when the request ends.
 */
export class BudgetGuard {
  readonly #options: BudgetGuardOptions;
  readonly #now: () => number;
  readonly #windows = new Map<BudgetConfig, PeriodWindow>();
  readonly #claimed = new Set<string>();

  constructor(options: BudgetGuardOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Runs after routing: it prices the targets the request may reach. */
  step(): GatewayStep {
    return async (context, next) => {
      try {
        await this.#admit(context);
      } catch (error) {
        const onRefusal = this.#options.onRefusal;
        if (onRefusal !== undefined && isGatewayError(error)) {
          const refusal = refusalOf(error);
          if (refusal !== undefined) onRefusal(refusal);
        }
        throw error;
      }
      return next();
    };
  }

  async #admit(context: GatewayContext): Promise<void> {
    const attribution = attributionOf(context.caller, context.headers);
    context.attribution = attribution;
    const budgets = this.#applicable(attribution);
    const route = context.route;
    if (budgets.length === 0 || route === undefined) return;
    const now = this.#now();
    const amount = this.#worstCase(context, route, now);
    const lines = budgets.map((budget) => this.#line(budget, attribution, now, amount));
    const outcome = await this.#reserve(lines);
    if (outcome.accepted) {
      context.budgetReservation = { lines, amount };
      await this.#downgradeWhenNearlySpent(context, lines, outcome.totals, amount, now);
      return;
    }
    const refused = lines[outcome.refusedIndex] as ReservationLine;
    if (!(await this.#downgradeInstead(context, budgets, attribution, refused, now))) {
      this.#options.onRefusal?.({ scope: refused.budget.scope, reason: "exceeded" });
      throw exceededError(refused, outcome.totals[outcome.refusedIndex] ?? 0, now);
    }
  }

  /** Gives back what the reservation held beyond the actual cost (or adds what it fell short by). */
  settle(context: GatewayContext, costUsd: number | null): void {
    const reservation = context.budgetReservation;
    if (reservation === undefined) return;
    context.budgetReservation = undefined;
    const actual = costUsd === null ? 0 : Math.round(costUsd * nanoUsdPerUsd);
    const delta = actual - reservation.amount;
    const charges = reservation.lines.map((line) => ({ ...line.charge, amount: delta, limit: null }));
    this.#options.counters.adjust(charges).then(
      (totals) => this.#checkThresholds(reservation.lines, totals),
      (error: unknown) => this.#options.onError(error),
    );
  }

  /**
   * Rebuilds this period's counters from the request log (after a restart: spend not yet flushed to the log
   * when the process died is the only loss). Counters that already exist (Redis) are kept.
   */
  async rebuild(store: RequestLogStore, keyNames: ReadonlyMap<string, string>): Promise<number> {
    const budgets = this.#options.budgets;
    if (budgets.length === 0) return 0;
    const now = this.#now();
    const sinceMs = Math.min(...budgets.map((budget) => this.#window(budget, now).startMs));
    const sums = new Map<string, CounterCharge>();
    let after: { createdAt: number; id: string } | undefined;
    let rows = 0;
    for (;;) {
      const page = await store.query({
        sinceMs,
        order: "asc",
        limit: 10_000,
        ...(after === undefined ? {} : { after }),
      });
      for (const row of page) {
        if (row.costUsd === null || row.costUsd === undefined) continue;
        const keyId = row.keyId ?? "master";
        const attribution: RequestAttribution = {
          keyId,
          keyName: keyNames.get(keyId) ?? null,
          team: row.team ?? null,
          project: row.project ?? null,
          tags: null,
        };
        for (const budget of this.#applicable(attribution)) {
          if (row.createdAt < this.#window(budget, now).startMs) continue;
          const { charge } = this.#line(budget, attribution, now, 0);
          const sum = sums.get(charge.counterKey) ?? charge;
          sums.set(charge.counterKey, {
            ...sum,
            amount: sum.amount + Math.round(row.costUsd * nanoUsdPerUsd),
          });
        }
        rows += 1;
      }
      const last = page[page.length - 1];
      if (last === undefined || page.length < 10_000) break;
      after = { createdAt: last.createdAt, id: last.id };
    }
    await this.#options.counters.seed([...sums.values()]);
    return rows;
  }

  #applicable(attribution: RequestAttribution): BudgetConfig[] {
    const applicable: BudgetConfig[] = [];
    for (const budget of this.#options.budgets) {
      const value = scopeValue(budget, attribution);
      if (value === null) continue;
      if (
        budget.match.length > 0 &&
        !budget.match.includes(value) &&
        !(
          budget.scope === "key" &&
          attribution.keyName !== null &&
          budget.match.includes(attribution.keyName)
        )
      ) {
        continue;
      }
      applicable.push(budget);
    }
    return applicable;
  }

  #window(budget: BudgetConfig, now: number): PeriodWindow {
    let window = this.#windows.get(budget);
    if (window === undefined || now >= window.endMs || now < window.startMs) {
      window = periodWindow(budget.period, budget.timezone ?? this.#options.defaultTimeZone, now);
      this.#windows.set(budget, window);
    }
    return window;
  }

  #line(budget: BudgetConfig, attribution: RequestAttribution, now: number, amount: number): ReservationLine {
    const value = scopeValue(budget, attribution) ?? "";
    const window = this.#window(budget, now);
    return {
      budget,
      scopeValue: value,
      window,
      charge: {
        counterKey: `${budget.name}:${budget.scope}:${value}:${window.startMs}`,
        amount,
        limit: budget.hard ? Math.floor(budget.limitUsd * nanoUsdPerUsd) : null,
        expiresAtMs: window.endMs + counterGraceMs,
      },
    };
  }

  /** Nano-USD: the dearest target's price for every counted input token and every allowed output token. */
  #worstCase(context: GatewayContext, route: ResolvedRoute, now: number): number {
    const promptTokens = this.#options.costs.promptTokens(context);
    let worst = 0;
    for (const target of route.targets) {
      const priced = this.#options.costs.priceOfTarget(target.label, now);
      if (priced === undefined) {
        if (this.#options.unpricedModels === "allow") continue;
        throw new GatewayError(
          "GW_ERR_BUDGET_MODEL_UNPRICED",
          `The model '${target.upstreamModel}' has no price, so a budget cannot count its spend; set cost.prices for it.`,
          { param: "model" },
        );
      }
      const maxOutput =
        context.operation === "embeddings" ? 0 : this.#maxOutputTokens(context.body, target.params);
      worst = Math.max(worst, worstCaseCost(priced.price, promptTokens, maxOutput));
    }
    return Math.ceil(worst * nanoUsdPerUsd);
  }

  #maxOutputTokens(body: Record<string, unknown>, params: Readonly<Record<string, unknown>>): number {
    const sent = { ...body, ...params };
    const limit =
      positiveNumber(sent.max_output_tokens) ??
      positiveNumber(sent.max_completion_tokens) ??
      positiveNumber(sent.max_tokens) ??
      this.#options.defaultMaxOutputTokens;
    return limit * (positiveNumber(sent.n) ?? 1);
  }

  async #reserve(lines: readonly ReservationLine[]): Promise<ReserveOutcome> {
    try {
      return await this.#options.counters.reserve(lines.map((line) => line.charge));
    } catch (error) {
      throw new GatewayError(
        "GW_ERR_BUDGET_UNAVAILABLE",
        "The budget counters did not answer; the request was not sent.",
        { cause: error },
      );
    }
  }

  async #downgradeWhenNearlySpent(
    context: GatewayContext,
    lines: readonly ReservationLine[],
    totals: readonly number[],
    amount: number,
    now: number,
  ): Promise<void> {
    for (const [index, line] of lines.entries()) {
      const downgrade = line.budget.downgrade;
      if (downgrade === undefined) continue;
      // What was spent or held by others before this request's own reservation.
      const before = (totals[index] ?? 0) - amount;
      if (before < downgrade.atFraction * line.budget.limitUsd * nanoUsdPerUsd) continue;
      const cheaper = context.routes.resolve(downgrade.model);
      if (cheaper === undefined || cheaper === context.route) return;
      const cheaperAmount = this.#worstCase(context, cheaper, now);
      if (cheaperAmount >= amount) return;
      context.route = cheaper;
      context.budgetReservation = { lines, amount: cheaperAmount };
      await this.#options.counters
        .adjust(lines.map((each) => ({ ...each.charge, amount: cheaperAmount - amount, limit: null })))
        .catch((error: unknown) => this.#options.onError(error));
      return;
    }
  }

  /** When the refusing budget names a cheaper model, tries to reserve for it instead. */
  async #downgradeInstead(
    context: GatewayContext,
    budgets: readonly BudgetConfig[],
    attribution: RequestAttribution,
    refused: ReservationLine,
    now: number,
  ): Promise<boolean> {
    const downgrade = refused.budget.downgrade;
    if (downgrade === undefined) return false;
    const cheaper = context.routes.resolve(downgrade.model);
    if (cheaper === undefined || cheaper === context.route) return false;
    const amount = this.#worstCase(context, cheaper, now);
    const lines = budgets.map((budget) => this.#line(budget, attribution, now, amount));
    if (!(await this.#reserve(lines)).accepted) return false;
    context.route = cheaper;
    context.budgetReservation = { lines, amount };
    return true;
  }

  #checkThresholds(lines: readonly ReservationLine[], totals: readonly number[]): void {
    for (const [index, line] of lines.entries()) {
      const spent = totals[index] ?? 0;
      const limit = line.budget.limitUsd * nanoUsdPerUsd;
      for (const threshold of line.budget.thresholds) {
        if (spent < threshold * limit) continue;
        const name = `budget-alert:${line.charge.counterKey}:${threshold}`;
        if (this.#claimed.has(name)) continue;
        if (this.#claimed.size >= 10_000) this.#claimed.clear();
        this.#claimed.add(name);
        this.#options.claimAlert(name, line.charge.expiresAtMs).then((claimed) => {
          if (!claimed) return;
          this.#options.onAlert({
            budget: line.budget.name,
            scope: line.budget.scope,
            scopeValue: line.scopeValue,
            period: line.budget.period,
            periodStart: new Date(line.window.startMs).toISOString(),
            periodEnd: new Date(line.window.endMs).toISOString(),
            threshold,
            spentUsd: spent / nanoUsdPerUsd,
            limitUsd: line.budget.limitUsd,
          });
        }, this.#options.onError);
      }
    }
  }
}

function scopeValue(budget: BudgetConfig, attribution: RequestAttribution): string | null {
  if (budget.scope === "key") return attribution.keyId;
  return budget.scope === "team" ? attribution.team : attribution.project;
}

function positiveNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}

function exceededError(line: ReservationLine, total: number, now: number): GatewayError {
  const usd = (nano: number) => `$${(nano / nanoUsdPerUsd).toFixed(4)}`;
  return new GatewayError(
    "GW_ERR_BUDGET_EXCEEDED",
    `Budget '${line.budget.name}' for ${line.budget.scope} '${line.scopeValue}' cannot cover this request: ` +
      `${usd(total)} of $${line.budget.limitUsd} is spent or reserved this ${line.budget.period} and the request ` +
      `may cost up to ${usd(line.charge.amount)}; it resets at ${new Date(line.window.endMs).toISOString()}.`,
    { retryAfterSeconds: Math.max(1, Math.ceil((line.window.endMs - now) / 1000)) },
  );
}

/** Refusals that concern every applicable budget; `exceeded` is reported where its budget is known. */
function refusalOf(error: GatewayError): BudgetRefusal | undefined {
  if (error.code === "GW_ERR_BUDGET_MODEL_UNPRICED") return { scope: "any", reason: "unpriced" };
  if (error.code === "GW_ERR_BUDGET_UNAVAILABLE") return { scope: "any", reason: "unavailable" };
  return undefined;
}
