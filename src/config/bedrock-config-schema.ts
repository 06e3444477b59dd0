import { z } from "zod";
import type { BedrockSettings } from "../core/gateway-config.js";

/**
 * `providers[].bedrock` (type bedrock only). Every field may be left out and taken from the standard AWS
 * variables (`AWS_REGION` / `AWS_DEFAULT_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
 * `AWS_SESSION_TOKEN`); the provider's `apiKey`, or `AWS_BEARER_TOKEN_BEDROCK`, is a Bedrock API key sent as a
 * bearer token instead of SigV4 signing.
 */
export const bedrockSettingsSchema = z
  .object({
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "an AWS region such as us-east-1")
      .optional(),
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    sessionToken: z.string().min(1).optional(),
  })
  .strict();

export type BedrockSettingsInput = z.infer<typeof bedrockSettingsSchema>;

type Environment = Readonly<Record<string, string | undefined>>;

function fromEnvironment(environment: Environment, name: string): string | undefined {
  const value = environment[name];
  return value === undefined || value === "" ? undefined : value;
}

/**
 * The region and credentials a bedrock provider signs with, or a message saying what is missing. Settings in
 * the file win over the environment: signing keys from the file, then the file's `apiKey` (bearer), then
 * `AWS_BEARER_TOKEN_BEDROCK`, then the AWS key variables.
 */
export function resolveBedrockSettings(
  settings: BedrockSettingsInput | undefined,
  apiKey: string | undefined,
  environment: Environment,
): BedrockSettings | string {
  const region =
    settings?.region ??
    fromEnvironment(environment, "AWS_REGION") ??
    fromEnvironment(environment, "AWS_DEFAULT_REGION");
  if (region === undefined) return "region is required (bedrock.region, AWS_REGION or AWS_DEFAULT_REGION)";
  if ((settings?.accessKeyId === undefined) !== (settings?.secretAccessKey === undefined)) {
    return "accessKeyId and secretAccessKey go together";
  }
  if (settings?.accessKeyId !== undefined && settings.secretAccessKey !== undefined) {
    return {
      region,
      auth: {
        kind: "sigv4",
        accessKeyId: settings.accessKeyId,
        secretAccessKey: settings.secretAccessKey,
        sessionToken: settings.sessionToken,
      },
    };
  }
  const bearer = apiKey ?? fromEnvironment(environment, "AWS_BEARER_TOKEN_BEDROCK");
  if (bearer !== undefined) return { region, auth: { kind: "bearer", token: bearer } };
  const accessKeyId = fromEnvironment(environment, "AWS_ACCESS_KEY_ID");
  const secretAccessKey = fromEnvironment(environment, "AWS_SECRET_ACCESS_KEY");
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    return "credentials are required: bedrock.accessKeyId and bedrock.secretAccessKey, apiKey, AWS_BEARER_TOKEN_BEDROCK, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
  }
  return {
    region,
    auth: {
      kind: "sigv4",
      accessKeyId,
      secretAccessKey,
      sessionToken: settings?.sessionToken ?? fromEnvironment(environment, "AWS_SESSION_TOKEN"),
    },
  };
}

/** Bedrock Runtime's endpoint for a region (Converse, ConverseStream, InvokeModel). */
export function bedrockRuntimeUrl(region: string): string {
  return `https://bedrock-runtime.${region}.amazonaws.com`;
}
