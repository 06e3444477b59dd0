import type { AzureOpenAiSettings } from "../../core/azure-openai-settings.js";
import type { ProviderConfig } from "../../core/gateway-config.js";
import type { ProviderAdapter, UpstreamOperation } from "../../core/ports/provider-adapter.js";
import { createOpenAiAdapter } from "../openai/openai-adapter.js";

/**
 * Each operation's path in both URL styles: deployment URLs carry the deployment (the target's `model`) and
 * get `?api-version=`; v1 URLs carry neither (the model travels in the body). One row per operation. The
 * Responses API exists on the v1 surface only, so it is sent there whatever the configured style.
 */
const azureOperationPaths: Partial<
  Record<
    UpstreamOperation,
    { readonly deployments: ((deployment: string) => string) | undefined; readonly v1: string }
  >
> = {
  "chat.completions": {
    deployments: (deployment) => `/openai/deployments/${deployment}/chat/completions`,
    v1: "/openai/v1/chat/completions",
  },
  embeddings: {
    deployments: (deployment) => `/openai/deployments/${deployment}/embeddings`,
    v1: "/openai/v1/embeddings",
  },
  responses: { deployments: undefined, v1: "/openai/v1/responses" },
};

/** What Azure serves natively: everything in the table (other chat dialects arrive translated to Chat). */
const azureOperations = Object.keys(azureOperationPaths) as UpstreamOperation[];

/** The URL of one operation on an Azure OpenAI resource; undefined when Azure does not serve it. */
export function azureOpenAiUrl(
  settings: AzureOpenAiSettings,
  operation: UpstreamOperation,
  model: string,
): string | undefined {
  const paths = azureOperationPaths[operation];
  if (paths === undefined) return undefined;
  if (settings.api === "v1" || paths.deployments === undefined) return `${settings.endpoint}${paths.v1}`;
  const path = paths.deployments(encodeURIComponent(model));
  return `${settings.endpoint}${path}?api-version=${encodeURIComponent(settings.apiVersion)}`;
}

/** Azure's two ways to authenticate: a Microsoft Entra token as a bearer token, or the resource key. */
export function azureAuthHeaders(
  settings: AzureOpenAiSettings,
  apiKey: string | undefined,
): Record<string, string> {
  if (settings.entraToken !== undefined) return { authorization: `Bearer ${settings.entraToken}` };
  return apiKey === undefined ? {} : { "api-key": apiKey };
}

/**
 * Azure OpenAI: the OpenAI dialect (same-dialect traffic passes through) on Azure's URLs and auth. Deployments
 * cannot be listed with a data-plane key, so `listModels` is empty: wildcard routes list nothing for Azure.
 */
export function createAzureOpenAiAdapter(config: ProviderConfig): ProviderAdapter {
  const settings = config.azure;
  if (settings === undefined) throw new Error(`provider ${config.name}: azure settings missing`);
  return createOpenAiAdapter(config, {
    baseUrl: settings.endpoint,
    operationUrl: (operation, model) => azureOpenAiUrl(settings, operation, model),
    authHeaders: azureAuthHeaders(settings, config.apiKey),
    streamUsage: true,
    operations: azureOperations,
    listModels: () => Promise.resolve([]),
  });
}
