import { createPublicKey, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import type { Logger } from "pino";
import { AuditLog } from "./control/audit-log.js";
import { createAuditSigner } from "./control/audit-signer.js";
import { budgetWebhookSender } from "./control/budget-webhook.js";
import { configAuditView } from "./control/config-audit-view.js";
import { KeyService } from "./control/key-service.js";
import { LeverService } from "./control/lever-service.js";
import { ensureMasterKey } from "./control/master-key.js";
import type { SloService } from "./control/slo/slo-service.js";
import { TenancyService } from "./control/tenancy-service.js";
import { buildUsageReport } from "./control/usage-report.js";
import type { AuditActor, AuditEntry } from "./core/audit-record.js";
import { PriceBook } from "./core/cost/price-book.js";
import { shippedPriceCatalog } from "./core/cost/price-catalog-data.js";
import type { Detector } from "./core/detection.js";
import type { SimulatorSettings, SwitchyardConfig } from "./core/gateway-config.js";
import type { BudgetCounterStore } from "./core/ports/budget-counter-store.js";
import type { ModerationProvider } from "./core/ports/moderation-provider.js";
import type { ProviderAdapter } from "./core/ports/provider-adapter.js";
import type { RequestLogSink } from "./core/ports/request-log-store.js";
import type { Storage } from "./core/ports/storage.js";
import { countTextTokens, preloadTokenizer } from "./core/tokenizer.js";
import { BudgetGuard } from "./gateway/budget/budget-guard.js";
import { CostAccountant } from "./gateway/cost/cost-accountant.js";
import { Gateway } from "./gateway/gateway.js";
import { GatewayMetrics } from "./gateway/gateway-metrics.js";
import { KeyCache } from "./gateway/key-cache.js";
import { LeverCache } from "./gateway/lever-cache.js";
import { loadTokenCounter } from "./gateway/limits/load-token-counter.js";
import { RateLimiter } from "./gateway/limits/rate-limiter.js";
import { SafetyPolicies } from "./gateway/policy/safety-policies.js";
import { RequestLogWriter } from "./gateway/request-log-writer.js";
import { Resilience } from "./gateway/resilience/resilience.js";
import { buildRouteTable, type RouteTable } from "./gateway/route-table.js";
import { RouteTableHolder } from "./gateway/route-table-holder.js";
import { RoutingRuntime } from "./gateway/routing-runtime.js";
import type { PolicyActionEvent } from "./gateway/steps/apply-input-policies-step.js";
import { buildHttpServer, type HttpServerDependencies } from "./http/build-http-server.js";
import { streamErrorEvent } from "./http/openai-error-body.js";
import { createProviderAdapter } from "./providers/create-provider-adapter.js";
import { createOpenAiModerationAdapter } from "./providers/openai/openai-moderation-adapter.js";
import { createDetectors } from "./safety/create-detectors.js";
import { type CanaryToken, createCanaryToken } from "./safety/injection/canary-token.js";
import {
  loadAuditPublicKey,
  loadAuditSigningKey,
  loadOrCreateAuditSigningKey,
  parseAuditSigningKey,
} from "./stores/audit-signing-key-file.js";
import { MemoryBudgetCounters } from "./stores/memory/memory-budget-counters.js";
import { openRateLimitStore } from "./stores/open-rate-limit-store.js";
import { openStorage } from "./stores/open-storage.js";
import { RequestLogWorker } from "./stores/request-log-worker.js";

export interface RunningSwitchyard {
  /** `http://host:port` as actually bound (useful with port 0). */
  readonly url: string;
  readonly port: number;
  readonly storage: Storage;
  readonly audit: AuditLog;
  /** In-process SLO evaluation and burn-rate alerts; undefined when the config has no `slos`. */
  readonly slo: SloService | undefined;
  /** The generated master key when this start created one (print it once), otherwise undefined. */
  readonly generatedMasterKey: string | undefined;
  /** Providers in use; the simulator ones say so. */
  readonly providerSummary: readonly string[];
  /**
   * Applies a new, already validated config; in-flight requests finish on the old providers. Recorded in the
   * audit log as `config.reload` by `actor` (default: the SIGHUP handler).
   */
  reload(next: SwitchyardConfig, actor?: AuditActor): Promise<string[]>;
  /** Writes queued request-log rows now (tests and shutdown). */
  flushRequestLog(): Promise<void>;
  /** Exports ended spans now when tracing is on (tests and shutdown). */
  flushTraces(): Promise<void>;
  close(): Promise<void>;
}

/** What the composition root takes besides the config: the safety detectors and the audit hook. */
export interface StartOptions {
  /**
   * Detectors safety policies may use; a policy naming a family none implements fails start-up. Default: the
   * built-in detectors of the families the config's policies name.
   */
  readonly detectors?: readonly Detector[];
  /** The canary marker `canary` policies look for (default: a new random one per process). */
  readonly canary?: CanaryToken;
  /** Told of every policy outcome (counts and types, never values). */
  readonly onPolicyAction?: (event: PolicyActionEvent) => void;
  /** The `weighted` strategy's random source (default `Math.random`); tests pass a seeded one. */
  readonly routingRandom?: () => number;
  /** Epoch ms for SLO buckets and alerts (default `Date.now`); tests move it instead of waiting. */
  readonly sloClock?: () => number;
}

interface ProviderSet {
  readonly adapters: Map<string, ProviderAdapter>;
  readonly routes: RouteTable;
}

/** The composition root: the one place that wires concrete stores and providers into the gateway. */
export async function startSwitchyard(
  config: SwitchyardConfig,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningSwitchyard> {
  // What has been opened so far, closed in reverse order if start-up fails part-way (e.g. the port is taken).
  const opened: (() => Promise<void> | void)[] = [];
  try {
    return await start(config, logger, options, opened);
  } catch (error) {
    for (const close of opened.reverse()) await Promise.resolve(close()).catch(() => undefined);
    throw error;
  }
}

async function start(
  config: SwitchyardConfig,
  logger: Logger,
  options: StartOptions,
  opened: (() => Promise<void> | void)[],
): Promise<RunningSwitchyard> {
  // One canary per process: added to the system prompt of requests a `canary` policy covers.
  const canary = options.canary ?? createCanaryToken();
  const safetyPolicies = (next: SwitchyardConfig) =>
    new SafetyPolicies({
      config: next.safety,
      detectors:
        options.detectors ??
        createDetectors(
          next.safety.policies.flatMap((policy) => policy.detectors),
          { canary },
        ),
      canarySystemPromptLine: canary.systemPromptLine,
      moderationProvider: moderationProviderFor(next),
    });
  let safety = safetyPolicies(config);
  opened.push(() => safety.moderationProvider?.close());
  const storage = await openConfiguredStorage(config, logger);
  opened.push(() => storage.close());
  const masterKey = await ensureMasterKey(storage.settings, config.masterKey);
  const audit = openConfiguredAuditLog(config, storage, logger);
  audit.start();
  opened.push(() => audit.close());
  const keys = new KeyCache({
    store: storage.keys,
    tenancy: storage.tenancy,
    masterKeyHash: masterKey.hash,
    refreshIntervalMs: config.keys.refreshIntervalMs,
    onRefreshError: (error) => logger.error({ err: error }, "key cache refresh failed"),
  });
  await keys.start();
  opened.push(() => keys.stop());
  const levers = new LeverCache({
    store: storage.levers,
    refreshIntervalMs: config.levers?.refreshIntervalMs ?? 1000,
    onRefreshError: (error) => logger.error({ err: error }, "lever cache refresh failed"),
  });
  await levers.start();
  opened.push(() => levers.stop());
  const metrics = new GatewayMetrics();
  // Request-log inserts run on a worker thread with its own connection (an in-memory SQLite has no second
  // one). Should the worker die, rows are written inline rather than lost.
  const logWorker = config.storage.url.endsWith(":memory:")
    ? undefined
    : await RequestLogWorker.start({ url: config.storage.url, schema: config.storage.schema });
  if (logWorker !== undefined) opened.push(() => logWorker.close());
  const requestLogSink: RequestLogSink = {
    appendEncoded: (batch) =>
      logWorker !== undefined && logWorker.failure === undefined
        ? logWorker.appendEncoded(batch)
        : Promise.resolve().then(() => storage.requestLogs.appendEncoded(batch)),
  };
  const requestLog = new RequestLogWriter({
    sink: requestLogSink,
    ...config.requestLog,
    onFlushError: (error, rows) => logger.error({ err: error, rows }, "request log write failed; will retry"),
    onDrop: (rows) => metrics.requestLogDropped.inc(rows),
  });
  requestLog.start();
  metrics.addGauge(
    "switchyard_request_log_queue_rows",
    "Request-log rows waiting in memory to be written.",
    () => requestLog.queuedRows,
  );
  opened.push(() => requestLog.close());

  const routing = new RoutingRuntime(config, metrics.registry);
  opened.push(() => routing.close());
  const limiter = await openRateLimiter(config, metrics, logger, opened);
  const { cost, budgets, counters } = await startCostAccounting(config, storage, logger, metrics);
  opened.push(() => counters?.close());
  const slo = await startSloService(config, storage, logger, options.sloClock ?? Date.now);
  if (slo !== undefined) opened.push(() => slo.close());
  let providers = await buildProviders(config, routing);
  opened.push(() => closeProviders(providers.adapters, logger));
  // Loaded only when tracing is on: the OpenTelemetry SDK takes a noticeable time to import.
  const tracer = config.telemetry.traces.enabled
    ? (await import("./telemetry/otel-request-tracer.js")).createOtelRequestTracer({
        config: config.telemetry.traces,
      })
    : undefined;
  if (tracer !== undefined) opened.push(() => tracer.close());
  const holder = new RouteTableHolder(providers.routes);
  let resilience = new Resilience(config.resilience, metrics.resilience);
  const gateway = new Gateway({
    resilience: () => resilience,
    keys,
    levers,
    routes: holder,
    requestLog,
    metrics,
    renderStreamError: streamErrorEvent,
    safety: () => safety,
    cost,
    ...(budgets === undefined ? {} : { budgets }),
    ...(slo === undefined ? {} : { slo: slo.tracker }),
    onPolicyAction: (event) => {
      metrics.recordPolicyAction(event);
      audit.recordLater(policyAuditEntry(event));
      options.onPolicyAction?.(event);
    },
    onInternalError: (error, context) =>
      logger.error({ err: error, requestId: context.requestId }, "internal error"),
    backpressure: routing.step,
    ...(options.routingRandom === undefined ? {} : { routingRandom: options.routingRandom }),
    ...(limiter === undefined ? {} : { limiter }),
    tracer,
    traceContent: config.telemetry.traces.content.enabled ? config.telemetry.traces.content : undefined,
  });
  const app = buildHttpServer({
    gateway,
    metrics,
    bodyLimitBytes: config.server.bodyLimitBytes,
    checkReadiness: () => storage.ping(),
    onError: (error, requestId) => logger.error({ err: error, requestId }, "request failed"),
    admin: adminApi(storage, audit, async () => {
      await Promise.all([keys.refreshNow(), levers.refreshNow()]);
    }),
  });
  await app.listen({ host: config.server.host, port: config.server.port });
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let current = config;

  return {
    url: `http://${shownHost === "0.0.0.0" ? "127.0.0.1" : shownHost}:${address.port}`,
    port: address.port,
    storage,
    audit,
    slo,
    generatedMasterKey: masterKey.generatedSecret,
    providerSummary: describeProviders(config),
    async reload(next, actor = sighupActor) {
      const warnings: string[] = [];
      if (next.storage.url !== current.storage.url)
        warnings.push("storage.url changes need a restart; kept the old one");
      if (JSON.stringify(next.server) !== JSON.stringify(current.server)) {
        warnings.push("server settings (host, port, bodyLimitBytes) need a restart; kept the old ones");
      }
      if (
        JSON.stringify([next.requestLog, next.keys]) !== JSON.stringify([current.requestLog, current.keys])
      ) {
        warnings.push("requestLog and keys settings need a restart; kept the old ones");
      }
      if (JSON.stringify(next.limits.redis) !== JSON.stringify(current.limits.redis)) {
        warnings.push("limits.redis changes need a restart; kept the old one");
      }
      if (limiter === undefined && next.limits.rules.length > 0) {
        warnings.push("rate limits were off at start: turning them on needs a restart");
      }
      if (JSON.stringify(next.cost) !== JSON.stringify(current.cost)) {
        warnings.push("cost settings (prices, budgets) need a restart; kept the old ones");
      }
      if (JSON.stringify(next.telemetry) !== JSON.stringify(current.telemetry))
        warnings.push("telemetry settings need a restart; kept the old ones");
      if (
        JSON.stringify([next.slos, next.sloAlerting]) !== JSON.stringify([current.slos, current.sloAlerting])
      ) {
        warnings.push("slos and sloAlerting settings need a restart; kept the old ones");
      }
      const nextSafety = safetyPolicies(next);
      const replacement = await buildProviders(next, routing).catch(async (error: unknown) => {
        await nextSafety.moderationProvider?.close();
        throw error;
      });
      // Closing waits for the moderation calls still in flight.
      void safety.moderationProvider?.close();
      safety = nextSafety;
      routing.configure(next);
      limiter?.replaceConfig({ ...next.limits, redis: current.limits.redis });
      const retired = providers;
      providers = replacement;
      void holder.replace(replacement.routes).then(() => closeProviders(retired.adapters, logger));
      // Breakers keep their state unless the resilience settings themselves changed.
      if (JSON.stringify(next.resilience) !== JSON.stringify(current.resilience))
        resilience = new Resilience(next.resilience, metrics.resilience);
      const previous = current;
      current = next;
      // The new config serves already; a failed audit write must not read as a rejected reload.
      await audit
        .record({
          actor,
          action: "config.reload",
          target: `config:${next.source}`,
          before: configAuditView(previous),
          after: configAuditView(next),
          ...(warnings.length === 0 ? {} : { reason: warnings.join("; ") }),
        })
        .catch((error: unknown) => logger.error({ err: error }, "configuration reloaded but not audited"));
      return warnings;
    },
    flushRequestLog: () => requestLog.flush(),
    flushTraces: async () => tracer?.flush(),
    async close() {
      await app.close();
      await holder.replace(buildRouteTable([], new Map()));
      await closeProviders(providers.adapters, logger);
      routing.close();
      await safety.moderationProvider?.close();
      keys.stop();
      levers.stop();
      await requestLog.close();
      await slo?.close();
      await logWorker?.close();
      await counters?.close();
      await tracer?.close();
      await audit.close();
      await storage.close();
      await limiter?.close();
    },
  };
}

/** Admin API services over the stores, scoped per request to the caller and audited. */
function adminApi(
  storage: Storage,
  audit: AuditLog,
  afterChange: () => Promise<void>,
): NonNullable<HttpServerDependencies["admin"]> {
  return {
    services: {
      keys: (principal) => new KeyService(storage.keys, { tenancy: storage.tenancy, audit, principal }),
      tenancy: (principal) => new TenancyService(storage.tenancy, principal, audit),
      levers: (principal) => new LeverService(storage.levers, principal, audit),
      usageReport: (query) => buildUsageReport(storage.requestLogs, query),
      requestLogs: storage.requestLogs,
    },
    afterChange,
  };
}

/** The rate limiter when any limit rule is configured; its counter store closes with the server. */
async function openRateLimiter(
  config: SwitchyardConfig,
  metrics: GatewayMetrics,
  logger: Logger,
  opened: (() => Promise<void> | void)[],
): Promise<RateLimiter | undefined> {
  if (config.limits.rules.length === 0) return undefined;
  const store = await openRateLimitStore(config.limits);
  opened.push(() => store.close());
  return new RateLimiter(config.limits, store, {
    countTokens: await loadTokenCounter(),
    onRefused: (rule, kind) => metrics.rateLimitRefusals.inc({ rule, kind }),
    onStoreError: (error) => {
      metrics.rateLimitStoreErrors.inc();
      logger.warn({ err: error }, "rate-limit counters failed");
    },
  });
}

interface CostAccounting {
  readonly cost: CostAccountant;
  readonly budgets: BudgetGuard | undefined;
  readonly counters: BudgetCounterStore | undefined;
}

/**
 * Prices, and budgets when configured: counters in Redis (shared) or in memory, rebuilt for the current periods
 * from the request log before the server listens, so a restart (even after kill -9) loses at most the spend
 * not yet flushed to the log. Threshold alerts are claimed in Redis or the settings store (once, durably).
 */
async function startCostAccounting(
  config: SwitchyardConfig,
  storage: Storage,
  logger: Logger,
  metrics: GatewayMetrics,
): Promise<CostAccounting> {
  const settings = config.cost;
  // The tokenizer loads on first use (an answer without usage), unless budgets count every request's prompt.
  const cost = new CostAccountant({
    prices: new PriceBook(shippedPriceCatalog, settings.prices),
    estimateMissingUsage: settings.estimateMissingUsage,
    countTokens: countTextTokens,
  });
  if (settings.budgets.length === 0) return { cost, budgets: undefined, counters: undefined };
  preloadTokenizer();
  const counters: BudgetCounterStore =
    settings.redis === undefined
      ? new MemoryBudgetCounters()
      : new (await import("./stores/redis/redis-budget-counters.js")).RedisBudgetCounters(settings.redis);
  const webhook = settings.webhook;
  const budgets = new BudgetGuard({
    budgets: settings.budgets,
    defaultTimeZone: settings.timezone,
    counters,
    costs: cost,
    defaultMaxOutputTokens: settings.defaultMaxOutputTokens,
    unpricedModels: settings.unpricedModels,
    claimAlert: (name, expiresAtMs) =>
      settings.redis === undefined
        ? storage.settings.setIfAbsent(name, new Date().toISOString())
        : counters.claimOnce(name, expiresAtMs),
    onAlert:
      webhook === undefined
        ? (alert) => logger.warn({ alert }, "budget threshold crossed")
        : budgetWebhookSender({
            ...webhook,
            onFailure: (error, alert) => logger.error({ err: error, alert }, "budget webhook failed"),
          }),
    onError: (error) => logger.error({ err: error }, "budget counter update failed"),
    onRefusal: (refusal) =>
      metrics.budgetRefusals.inc({ budget_scope: refusal.scope, reason: refusal.reason }),
  });
  try {
    const keyNames = new Map((await storage.keys.list()).map((key) => [key.id, key.name]));
    const rows = await budgets.rebuild(storage.requestLogs, keyNames);
    logger.info({ rows }, "budget counters rebuilt from the request log");
  } catch (error) {
    await counters.close();
    throw error;
  }
  return { cost, budgets, counters };
}

/** SLO evaluation and alerting, started with the stored window; undefined when no SLO is configured. */
async function startSloService(
  config: SwitchyardConfig,
  storage: Storage,
  logger: Logger,
  clock: () => number,
): Promise<SloService | undefined> {
  if (config.slos.length === 0) return undefined;
  // Loaded only when configured, so commands and SLO-less gateways do not pay for it at start-up.
  const { SloService } = await import("./control/slo/slo-service.js");
  const service = new SloService({
    slos: config.slos,
    alerting: config.sloAlerting,
    store: storage.sloBuckets,
    clock,
    defaultSource: `switchyard@${hostname()}`,
    onPersistError: (error) => logger.error({ err: error }, "SLO counts not written; will retry"),
    onEvaluateError: (error) => logger.error({ err: error }, "SLO evaluation failed"),
    onDeliveryFailure: (webhook, reason) =>
      logger.error({ webhook, reason }, "SLO alert not delivered; gave up on this message"),
    onAlert: (event) =>
      logger.warn(
        { slo: event.status.slo.name, severity: event.severity, action: event.action },
        "SLO burn-rate alert",
      ),
  });
  await service.start();
  return service;
}

/** The remote moderation classifier `safety.moderation` names, if any. */
function moderationProviderFor(config: SwitchyardConfig): ModerationProvider | undefined {
  const moderation = config.safety.moderation;
  if (moderation === undefined) return undefined;
  const provider = config.providers.find((candidate) => candidate.name === moderation.provider);
  if (provider === undefined) throw new Error(`safety.moderation: no provider named ${moderation.provider}`);
  return createOpenAiModerationAdapter(
    provider,
    moderation.model === undefined ? {} : { model: moderation.model },
  );
}

async function buildProviders(config: SwitchyardConfig, routing: RoutingRuntime): Promise<ProviderSet> {
  const adapters = new Map<string, ProviderAdapter>();
  try {
    for (const provider of config.providers)
      adapters.set(provider.name, await createProviderAdapter(provider));
    return {
      adapters,
      routes: buildRouteTable(config.models, adapters, await routing.routeTableOptions(config)),
    };
  } catch (error) {
    await Promise.allSettled([...adapters.values()].map((adapter) => adapter.close()));
    throw error;
  }
}

async function closeProviders(adapters: ReadonlyMap<string, ProviderAdapter>, logger: Logger): Promise<void> {
  const results = await Promise.allSettled([...adapters.values()].map((adapter) => adapter.close()));
  for (const result of results) {
    if (result.status === "rejected") logger.warn({ err: result.reason }, "closing a provider failed");
  }
}

function describeProviders(config: SwitchyardConfig): string[] {
  return config.providers.map((provider) =>
    provider.type === "simulator"
      ? `${provider.name} (built-in simulator: no real model is called)`
      : `${provider.name} (${provider.type}, ${provider.baseUrl ?? ""})`,
  );
}

/** Storage as configured; also for commands that work on data without serving (keys, logs). */
export function openConfiguredStorage(config: SwitchyardConfig, logger?: Logger): Promise<Storage> {
  return openStorage(config.storage.url, {
    ...(config.storage.schema === undefined ? {} : { schema: config.storage.schema }),
    onBackgroundError: (error) => logger?.warn({ err: error }, "storage connection error; reconnecting"),
  });
}

const sighupActor: AuditActor = { kind: "system", id: "sighup", display: "SIGHUP to the serving process" };

/** The audit log over `storage`, signing with the configured key; the key file is created on first use. */
export function openConfiguredAuditLog(
  config: SwitchyardConfig,
  storage: Storage,
  logger?: Logger,
): AuditLog {
  const privateKey =
    config.audit.signingKey === undefined
      ? loadOrCreateAuditSigningKey(config.audit.signingKeyFile)
      : parseAuditSigningKey(config.audit.signingKey, "SWITCHYARD_AUDIT_SIGNING_KEY");
  return new AuditLog({
    store: storage.audit,
    signer: createAuditSigner(privateKey),
    checkpointEvery: config.audit.checkpointEvery,
    checkpointIntervalMs: config.audit.checkpointIntervalMs,
    onError: (error) =>
      logger?.error({ err: error }, "audit log write failed; its entries stay queued for the next flush"),
  });
}

/**
 * The key `audit verify` checks signatures with: the given public key file, else the public half of the
 * configured signing key. Never creates a key: undefined when there is none.
 */
export function configuredAuditPublicKey(
  config: SwitchyardConfig,
  publicKeyFile?: string,
): KeyObject | undefined {
  if (publicKeyFile !== undefined) return loadAuditPublicKey(publicKeyFile);
  const privateKey =
    config.audit.signingKey === undefined
      ? loadAuditSigningKey(config.audit.signingKeyFile)
      : parseAuditSigningKey(config.audit.signingKey, "SWITCHYARD_AUDIT_SIGNING_KEY");
  return privateKey === undefined ? undefined : createPublicKey(privateKey);
}

/** The simulator as a server of its own (`switchyard simulator`). */
export async function startStandaloneSimulator(settings: SimulatorSettings, host: string, port: number) {
  const { startSimulatorServer } = await import("./providers/simulator/simulator-server.js");
  return startSimulatorServer(settings, { host, port });
}

/** A policy action as the audit log keeps it: who asked, which policy, what it found and did; never the value. */
function policyAuditEntry(event: PolicyActionEvent): AuditEntry {
  return {
    actor:
      event.keyId === null
        ? { kind: "master-key", id: "master", display: "master key" }
        : { kind: "virtual-key", id: event.keyId, display: `key ${event.keyId}` },
    action: `policy.${event.dryRun ? "would-" : ""}${event.action}`,
    target: `policy:${event.policy}`,
    after: { stage: event.stage, family: event.family, type: event.type, count: event.count },
    requestId: event.requestId,
  };
}
