import { z } from "zod";

/** The newest generally available dated `api-version` of Azure OpenAI's data-plane inference API. */
export const defaultAzureApiVersion = "2024-10-21";

/**
 * `providers[].azure` (type azure-openai only). `endpoint` is the resource's origin
 * (`https://<resource>.openai.azure.com`); `api: deployments` calls `/openai/deployments/{target model}/…` with
 * `api-version`, `api: v1` calls `/openai/v1/…` with the model in the body. `entraToken` is a Microsoft Entra
 * access token sent as a bearer token instead of the `api-key` header.
 */
export const azureOpenAiSettingsSchema = z
  .object({
    endpoint: z.url(),
    apiVersion: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, "a version like 2024-10-21 or 2025-04-01-preview")
      .default(defaultAzureApiVersion),
    api: z.enum(["deployments", "v1"]).default("deployments"),
    entraToken: z.string().min(1).optional(),
  })
  .strict();

export type AzureOpenAiSettingsFile = z.infer<typeof azureOpenAiSettingsSchema>;

interface ProviderFields {
  readonly type: string;
  readonly baseUrl?: string | undefined;
  readonly apiKey?: string | undefined;
  readonly azure?: AzureOpenAiSettingsFile | undefined;
}

/** Cross-field rules of `type: azure-openai`: `azure` is required there and only there; no `baseUrl`. */
export function checkAzureOpenAiProvider(provider: ProviderFields, context: z.RefinementCtx): void {
  if (provider.type !== "azure-openai") {
    if (provider.azure !== undefined)
      context.addIssue({ code: "custom", path: ["azure"], message: "only allowed for type azure-openai" });
    return;
  }
  if (provider.azure === undefined) {
    context.addIssue({
      code: "custom",
      path: ["azure"],
      message: "required for type azure-openai (at least azure.endpoint)",
    });
  }
  if (provider.baseUrl !== undefined) {
    context.addIssue({
      code: "custom",
      path: ["baseUrl"],
      message: "not used by type azure-openai: set azure.endpoint",
    });
  }
  if (provider.apiKey !== undefined && provider.azure?.entraToken !== undefined) {
    context.addIssue({
      code: "custom",
      path: ["azure", "entraToken"],
      message: "give either apiKey (sent as api-key) or azure.entraToken (sent as a bearer token), not both",
    });
  }
}
