import type { GatewayContext, GatewayResponse } from "./gateway-context.js";

export type StepNext = () => Promise<GatewayResponse>;

/** A pipeline step: inspect or fill the context, then call `next()` (or answer without it). */
export type GatewayStep = (context: GatewayContext, next: StepNext) => Promise<GatewayResponse>;

export type GatewayHandler = (context: GatewayContext) => Promise<GatewayResponse>;

/** Runs steps in order around a terminal handler, Koa-style; each step calls `next` at most once. */
export function composeSteps(steps: readonly GatewayStep[], terminal: GatewayHandler): GatewayHandler {
  return (context) => {
    const dispatch = (index: number): Promise<GatewayResponse> => {
      const step = steps[index];
      if (step === undefined) return terminal(context);
      let called = false;
      return step(context, () => {
        if (called) return Promise.reject(new Error("next() called twice in a gateway step"));
        called = true;
        return dispatch(index + 1);
      });
    };
    return dispatch(0);
  };
}
