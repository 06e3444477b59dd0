import { GatewayError } from "../../core/gateway-error.js";
import type { GatewayStep } from "../compose-steps.js";
import type { Caller } from "../gateway-context.js";

export function mayUseModel(caller: Caller | undefined, modelName: string): boolean {
  if (caller?.kind !== "virtual-key") return caller !== undefined;
  const allowed = caller.key.allowedModels;
  return allowed.length === 0 || allowed.includes(modelName);
}

/** Finds the model group for the requested name and checks that the caller may use it. */
export function resolveRouteStep(): GatewayStep {
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
    context.route = route;
    return next();
  };
}
