import { z } from "zod";
import { GatewayError } from "../../core/gateway-error.js";
import type { UpstreamOperation } from "../../core/ports/provider-adapter.js";
import type { GatewayStep } from "../compose-steps.js";

// Only what the gateway itself relies on is checked; everything else passes through for the upstream to judge.
const messageSchema = z.looseObject({ role: z.string().min(1) });
const chatSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
});
const embeddingsSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(z.number()).min(1),
    z.array(z.array(z.number())).min(1),
  ]),
});

const schemas: Record<UpstreamOperation, z.ZodType> = {
  "chat.completions": chatSchema,
  embeddings: embeddingsSchema,
};

export function validateBodyStep(): GatewayStep {
  return (context, next) => {
    const result = schemas[context.operation].safeParse(context.body);
    if (!result.success) {
      const issue = result.error.issues[0];
      const param = issue?.path.map(String).join(".") ?? "";
      const problem =
        issue?.code === "invalid_type" && issue.input === undefined ? "is required" : issue?.message;
      throw new GatewayError(
        "GW_ERR_REQUEST_INVALID_BODY",
        `Invalid request: '${param}' ${problem ?? "is invalid"}.`,
        {
          param,
        },
      );
    }
    context.modelRequested = context.body.model as string;
    context.stream = context.body.stream === true;
    return next();
  };
}
