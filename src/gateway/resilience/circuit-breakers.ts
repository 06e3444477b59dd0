import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhenResult,
  type IBreaker,
  SamplingBreaker,
} from "cockatiel";
import type { CircuitBreakerSettings } from "../../core/gateway-config.js";

export type BreakerState = "closed" | "open" | "half-open";

/**
 * What a guarded call returns: whether it counts as a failure of the target. `deferred` outcomes (a stream
 * committed to the client) are not counted when the call returns; `reportLateOutcome` counts them at the end.
 */
export interface GuardedOutcome {
  readonly healthFailure: boolean;
  readonly deferred?: boolean;
}

/**
 * Thrown through cockatiel for a deferred outcome: not a handled failure, so the breaker records nothing. Not an
 * `Error`: it never leaves `guard`, and the stack trace captured for every committed stream showed as ~40 µs of the
 * serving thread per stream in a V8 CPU profile (one connection streaming).
 */
class DeferredOutcome {
  readonly outcome: GuardedOutcome;
  constructor(outcome: GuardedOutcome) {
    this.outcome = outcome;
  }
}

const lateFailure: GuardedOutcome = { healthFailure: true };
const lateSuccess: GuardedOutcome = { healthFailure: false };

/** Opens on `consecutiveFailures` in a row, or on a failure rate over a sliding time window. */
class ConsecutiveOrRateBreaker implements IBreaker {
  readonly #consecutive: ConsecutiveBreaker;
  readonly #sampling: SamplingBreaker;

  constructor(settings: CircuitBreakerSettings) {
    this.#consecutive = new ConsecutiveBreaker(settings.consecutiveFailures);
    this.#sampling = new SamplingBreaker({
      threshold: settings.failureRateThreshold,
      duration: settings.windowMs,
      minimumRps: settings.minimumRequests / (settings.windowMs / 1000),
    });
  }

  get state(): unknown {
    return { consecutive: this.#consecutive.state, sampling: this.#sampling.state };
  }

  set state(value: unknown) {
    const saved = value as { consecutive: number; sampling: unknown };
    this.#consecutive.state = saved.consecutive;
    this.#sampling.state = saved.sampling;
  }

  success(state: CircuitState): void {
    this.#consecutive.success();
    this.#sampling.success(state);
  }

  failure(state: CircuitState): boolean {
    const inARow = this.#consecutive.failure();
    const byRate = this.#sampling.failure(state);
    return inARow || byRate;
  }
}

/** One target's breaker (cockatiel's state machine: closed → open → half-open probe → closed or open). */
export class TargetBreaker {
  readonly #policy: CircuitBreakerPolicy | undefined;
  readonly #cooldownMs: number;
  #openedAt = 0;

  constructor(policy: CircuitBreakerPolicy | undefined, cooldownMs: number) {
    this.#policy = policy;
    this.#cooldownMs = cooldownMs;
    policy?.onBreak(() => {
      this.#openedAt = Date.now();
    });
  }

  get state(): BreakerState {
    return toBreakerState(this.#policy?.state ?? CircuitState.Closed);
  }

  /** Milliseconds until an open breaker lets a probe through (0 when it would now). */
  get remainingCooldownMs(): number {
    return Math.max(0, this.#openedAt + this.#cooldownMs - Date.now());
  }

  /**
   * Counts the outcome of a deferred call once known (did the committed stream break upstream?). Cockatiel
   * records outcomes only through `execute`, so this executes a call that only reports.
   */
  reportLateOutcome(failed: boolean): void {
    const policy = this.#policy;
    if (policy === undefined || policy.state !== CircuitState.Closed) return;
    policy.execute(() => (failed ? lateFailure : lateSuccess)).catch(() => undefined);
  }

  /**
   * Runs `call` unless the breaker skips the target: open and cooling down, or half-open with its one probe
   * already in flight. Resolves `undefined` when skipped. `call` must not reject.
   */
  async guard<T extends GuardedOutcome>(call: () => Promise<T>): Promise<T | undefined> {
    const policy = this.#policy;
    if (policy === undefined) return call();
    if (policy.state === CircuitState.HalfOpen || policy.state === CircuitState.Isolated) return undefined;
    try {
      return await policy.execute(async () => {
        const outcome = await call();
        if (outcome.deferred === true) throw new DeferredOutcome(outcome);
        return outcome;
      });
    } catch (error) {
      if (error instanceof DeferredOutcome) return error.outcome as T;
      if (error instanceof BrokenCircuitError) return undefined;
      throw error;
    }
  }
}

/** Told of every breaker created (`initial`) and of every state change after. */
export type BreakerListener = (targetId: string, state: BreakerState, initial: boolean) => void;

/** The breakers of every target seen, by target id (ids are bounded by the config). */
export class CircuitBreakers {
  readonly #settings: CircuitBreakerSettings;
  readonly #breakers = new Map<string, TargetBreaker>();
  readonly #onStateChange: BreakerListener;

  constructor(settings: CircuitBreakerSettings, onStateChange: BreakerListener = () => undefined) {
    this.#settings = settings;
    this.#onStateChange = onStateChange;
  }

  for(targetId: string): TargetBreaker {
    let breaker = this.#breakers.get(targetId);
    if (breaker === undefined) {
      breaker = new TargetBreaker(
        this.#settings.enabled ? this.#createPolicy(targetId) : undefined,
        this.#settings.cooldownMs,
      );
      this.#breakers.set(targetId, breaker);
    }
    return breaker;
  }

  /** Current state per target id, for status output. */
  states(): Record<string, BreakerState> {
    return Object.fromEntries([...this.#breakers].map(([id, breaker]) => [id, breaker.state]));
  }

  #createPolicy(targetId: string): CircuitBreakerPolicy {
    const policy = circuitBreaker(
      handleWhenResult((result) => (result as GuardedOutcome).healthFailure),
      {
        halfOpenAfter: this.#settings.cooldownMs,
        breaker: new ConsecutiveOrRateBreaker(this.#settings),
      },
    );
    policy.onStateChange((state) => this.#onStateChange(targetId, toBreakerState(state), false));
    this.#onStateChange(targetId, "closed", true);
    return policy;
  }
}

function toBreakerState(state: CircuitState): BreakerState {
  switch (state) {
    case CircuitState.Closed:
      return "closed";
    case CircuitState.HalfOpen:
      return "half-open";
    default:
      return "open";
  }
}
