import type { SloWebhookConfig } from "../../core/gateway-config.js";
import { burnRateWindowNames } from "./burn-rate-alerts.js";
import type { SloAlertEvent } from "./slo-alerter.js";

/** A one-line human summary, e.g. for Slack text and the PagerDuty incident title. */
export function alertSummary(event: SloAlertEvent): string {
  const { slo } = event.status;
  const target = `${formatPercent(slo.objective)} ${slo.kind} over ${formatDuration(slo.windowMs)}`;
  if (event.action === "resolve") {
    return `[RESOLVED] SLO ${slo.name} (${target}): error budget no longer burning at ${event.severity} level`;
  }
  const reasons = event.conditions
    .map(
      (condition) =>
        `${formatBurn(event.status.burnRates[condition.longWindow])} over ${condition.longWindow} and ` +
        `${formatBurn(event.status.burnRates[condition.shortWindow])} over ${condition.shortWindow} ` +
        `(threshold ${condition.factor}x)`,
    )
    .join("; ");
  return `[${event.severity.toUpperCase()}] SLO ${slo.name} (${target}): error budget burning ${reasons}`;
}

/** The JSON body a webhook of this format receives for the event. */
export function alertMessageBody(
  webhook: SloWebhookConfig,
  event: SloAlertEvent,
  source: string,
): Record<string, unknown> {
  const details = alertDetails(event, source);
  switch (webhook.format) {
    case "slack":
      return {
        text: alertSummary(event),
        blocks: [
          { type: "section", text: { type: "mrkdwn", text: `*${escapeSlack(alertSummary(event))}*` } },
          {
            type: "section",
            fields: [
              { type: "mrkdwn", text: `*Budget remaining*\n${formatPercent(event.status.budgetRemaining)}` },
              { type: "mrkdwn", text: `*SLI (window)*\n${formatPercent(event.status.sli)}` },
              ...burnRateWindowNames.map((window) => ({
                type: "mrkdwn",
                text: `*Burn ${window}*\n${formatBurn(event.status.burnRates[window])}`,
              })),
            ],
          },
          { type: "context", elements: [{ type: "mrkdwn", text: `${source} · ${event.dedupKey}` }] },
        ],
      };
    case "pagerduty":
      // PagerDuty Events API v2: a resolve needs only the routing key, the action and the dedup key.
      return {
        routing_key: webhook.routingKey,
        event_action: event.action,
        dedup_key: event.dedupKey,
        ...(event.action === "trigger"
          ? {
              payload: {
                summary: alertSummary(event).slice(0, 1024),
                severity: event.severity === "page" ? "critical" : "warning",
                source,
                component: "switchyard",
                group: event.status.slo.name,
                class: `slo-burn-rate-${event.severity}`,
                timestamp: new Date(event.at).toISOString(),
                custom_details: details,
              },
            }
          : {}),
      };
    default:
      return { version: 1, ...details };
  }
}

function alertDetails(event: SloAlertEvent, source: string): Record<string, unknown> {
  const { slo } = event.status;
  return {
    status: event.action === "trigger" ? "firing" : "resolved",
    severity: event.severity,
    slo: slo.name,
    kind: slo.kind,
    objective: slo.objective,
    windowMs: slo.windowMs,
    scope: slo.scope,
    ...(slo.latency === undefined ? {} : { latency: slo.latency }),
    summary: alertSummary(event),
    dedupKey: event.dedupKey,
    source,
    startsAt: new Date(event.since).toISOString(),
    ...(event.action === "resolve" ? { endsAt: new Date(event.at).toISOString() } : {}),
    sli: event.status.sli,
    budgetRemaining: event.status.budgetRemaining,
    burnRates: event.status.burnRates,
    conditions: event.conditions,
  };
}

function escapeSlack(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

function formatPercent(share: number): string {
  return `${Number((share * 100).toFixed(3))}%`;
}

function formatBurn(rate: number): string {
  return `${rate.toFixed(1)}x`;
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ["d", 86_400_000],
    ["h", 3_600_000],
    ["m", 60_000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms / 1000}s`;
}
