import type { GatewayStep } from "../compose-steps.js";

/**
 * Wraps a step so that, on traced requests, its own work (up to its `next()` call, or its end when it
 * answers itself) gets a span named `name`. Untraced requests call the step directly.
 */
export function tracedStep(name: string, step: GatewayStep): GatewayStep {
  return (context, next) => {
    const tracing = context.tracing;
    if (tracing === undefined) return step(context, next);
    const span = tracing.step(name);
    let ended = false;
    const end = (error?: string) => {
      if (ended) return;
      ended = true;
      span.end(error);
    };
    let result: ReturnType<GatewayStep>;
    try {
      result = step(context, () => {
        end();
        return next();
      });
    } catch (error) {
      end(errorName(error));
      throw error;
    }
    return result.then(
      (response) => {
        end(response.kind === "error" ? response.error.code : undefined);
        return response;
      },
      (error: unknown) => {
        end(errorName(error));
        throw error;
      },
    );
  };
}

function errorName(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : error instanceof Error ? error.name : "error";
}
