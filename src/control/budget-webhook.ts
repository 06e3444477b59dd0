import type { BudgetAlert } from "../core/cost/budget-alert.js";

export interface BudgetWebhookOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly onFailure: (error: unknown, alert: BudgetAlert) => void;
  readonly timeoutMs?: number;
}

/**
 * Posts budget threshold alerts as JSON (`{"type":"budget.threshold", …}`), off the request path. An alert is
 * claimed before it is posted, so a failed post is logged, not retried: the contract is at most once.
 */
export function budgetWebhookSender(options: BudgetWebhookOptions): (alert: BudgetAlert) => void {
  return (alert) => {
    fetch(options.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...options.headers },
      body: JSON.stringify({ type: "budget.threshold", ...alert }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    }).then(
      async (response) => {
        await response.body?.cancel();
        if (!response.ok) options.onFailure(new Error(`webhook answered HTTP ${response.status}`), alert);
      },
      (error: unknown) => options.onFailure(error, alert),
    );
  };
}
