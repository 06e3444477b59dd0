/** What a limit rule keeps separate counters by; `user` is the end user (`x-switchyard-user` or `user`). */
export type LimitDimension = "key" | "project" | "team" | "model" | "user";

/** Which requests a limit rule applies to. Each non-empty list must match; empty lists match everyone. */
export interface LimitScope {
  /** Virtual key ids or names; `master` matches the master key. */
  readonly keys: readonly string[];
  readonly teams: readonly string[];
  readonly projects: readonly string[];
  /** Public model names (model groups) as the client sends them. */
  readonly models: readonly string[];
}

export interface LimitRuleConfig {
  /** Unique; named in the 429 message and in bucket keys. */
  readonly name: string;
  /**
   * One counter per distinct combination of these values (empty: one counter for every request in scope).
   * A request lacking one of the values (no team, no end user) is not counted by the rule.
   */
  readonly per: readonly LimitDimension[];
  readonly scope: LimitScope;
  readonly requestsPerMinute?: number | undefined;
  /** Reserved from an estimate before the call, corrected with the reported usage afterwards. */
  readonly tokensPerMinute?: number | undefined;
  readonly concurrentRequests?: number | undefined;
}

export interface LimitsRedisConfig {
  readonly url: string;
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  /** A concurrency slot left behind by a node that died frees itself after this long. */
  readonly leaseTtlMs: number;
}

export interface LimitsConfig {
  readonly rules: readonly LimitRuleConfig[];
  /** Shared counters for every node using it; absent means counters in this process's memory. */
  readonly redis?: LimitsRedisConfig | undefined;
  /** Output tokens reserved for a request that sets no `max_tokens` / `max_completion_tokens`. */
  readonly defaultMaxOutputTokens: number;
  /** When the counter store fails (Redis down): let requests through, or refuse them with 503. */
  readonly onStoreError: "allow" | "refuse";
}
