import type { AzureOpenAiSettings } from "../core/azure-openai-settings.js";
import type { ProviderConfig } from "../core/gateway-config.js";
import { openAiCompatiblePresets } from "../core/openai-compatible-presets.js";
import type { ConfigFile } from "./config-schema.js";

type ProviderFile = ConfigFile["providers"][number];
type Environment = Readonly<Record<string, string | undefined>>;

/**
 * The fields of an `azure-openai` provider or an `openai-compatible` one with a `preset` that come from
 * defaults and the environment: the base URL, the key (a preset's key variable, `AZURE_OPENAI_API_KEY`) and
 * the Azure settings (the Entra token from `AZURE_OPENAI_AD_TOKEN` when neither a key nor a token is set).
 * Other providers get nothing; what the config file says always wins over the environment.
 */
export function resolveOpenAiVariant(
  provider: ProviderFile,
  environment: Environment,
): Partial<Pick<ProviderConfig, "baseUrl" | "apiKey" | "azure" | "preset">> {
  if (provider.type === "openai-compatible" && provider.preset !== undefined) {
    const preset = openAiCompatiblePresets[provider.preset];
    const keyVariable = preset.apiKeyEnvironmentVariable;
    return {
      preset: provider.preset,
      baseUrl: provider.baseUrl ?? preset.defaultBaseUrl,
      apiKey: provider.apiKey ?? (keyVariable === undefined ? undefined : nonEmpty(environment[keyVariable])),
    };
  }
  if (provider.type === "azure-openai" && provider.azure !== undefined) {
    const { azure } = provider;
    const endpoint = azure.endpoint.replace(/\/+$/, "");
    const explicit = provider.apiKey !== undefined || azure.entraToken !== undefined;
    const apiKey = explicit ? provider.apiKey : nonEmpty(environment.AZURE_OPENAI_API_KEY);
    const entraToken =
      explicit || apiKey !== undefined ? azure.entraToken : nonEmpty(environment.AZURE_OPENAI_AD_TOKEN);
    const settings: AzureOpenAiSettings = {
      endpoint,
      apiVersion: azure.apiVersion,
      api: azure.api,
      entraToken,
    };
    return {
      baseUrl: azure.api === "v1" ? `${endpoint}/openai/v1` : `${endpoint}/openai/deployments`,
      apiKey,
      azure: settings,
    };
  }
  return {};
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
