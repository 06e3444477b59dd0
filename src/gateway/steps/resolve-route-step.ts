import { GatewayError } from "../../core/gateway-error.js";
import type { GatewayStep } from "../compose-steps.js";
import { countableBody } from "../countable-body.js";
import type { Caller } from "../gateway-context.js";
import type { RandomSource } from "../routing/order-targets.js";
import { planRoute } from "../routing/plan-route.js";

export function mayUseModel(caller: Caller | undefined, modelName: string): boolean {
  if (caller?.kind !== "virtual-key") return caller !== undefined;
  const allowed = caller.key.allowedModels;
  return allowed.length === 0 || allowed.includes(modelName);
}

/**
 * Finds the model group for the requested name, checks that the caller may use it, then plans the route: rules,
 * capability and context-window filters, and the group's strategy give `context.route.targets` in order.
 */
export function resolveRouteStep(random: RandomSource = Math.random): GatewayStep {
  return (context, next) => {
    const modelName = context.modelRequested ?? "";
    const route = context.routes.resolve(modelName);
    if (route === undefined) {
      throw new GatewayError("GW_ERR_MODEL_NOT_FOUND", `The model '${modelName}' does not exist.`, {
        param: "model",
      });
    }
    if (!mayUseModel(context.caller, modelName)) {
      throw new GatewayError(
        "GW_ERR_AUTH_MODEL_NOT_ALLOWED",
        `This key may not use the model '${modelName}'.`,
        {
          param: "model",
        },
      );
    }
    context.route =
      route.plain && context.routes.rules.length === 0
        ? route
        : planRoute(
            context.routes,
            route,
            {
              modelName,
              caller: context.caller,
              headers: context.headers,
              body: countableBody(context.operation, context.body),
            },
            random,
          );
    return next();
  };
}
