import type { ProviderConfig } from "../core/gateway-config.js";
import { openAiCompatiblePresets } from "../core/openai-compatible-presets.js";
import type { ProviderAdapter } from "../core/ports/provider-adapter.js";
import { createAnthropicAdapter } from "./anthropic/anthropic-adapter.js";
import { createAzureOpenAiAdapter } from "./azure/azure-openai-adapter.js";
import { createBedrockAdapter } from "./bedrock/bedrock-adapter.js";
import { createGeminiAdapter } from "./gemini/gemini-adapter.js";
import { createOpenAiAdapter } from "./openai/openai-adapter.js";
import { withDialectTranslation } from "./translating-adapter.js";

/**
 * Builds the adapter for one configured provider. The simulator runs as a real HTTP server on an ephemeral
 * loopback port, so the gateway reaches it through exactly the code path it uses for any OpenAI upstream.
 * Every adapter also accepts chat requests in the other dialect, translated (`withDialectTranslation`).
 */
export async function createProviderAdapter(config: ProviderConfig): Promise<ProviderAdapter> {
  return withDialectTranslation(await createNativeAdapter(config));
}

async function createNativeAdapter(config: ProviderConfig): Promise<ProviderAdapter> {
  switch (config.type) {
    case "anthropic":
      return createAnthropicAdapter(config);
    case "gemini":
      return createGeminiAdapter(config);
    case "bedrock":
      return createBedrockAdapter(config);
    case "openai":
      return createOpenAiAdapter(config);
    case "openai-compatible": {
      if (config.preset === undefined) return createOpenAiAdapter(config);
      const { streamUsage, unsupportedParams } = openAiCompatiblePresets[config.preset];
      return createOpenAiAdapter(config, { streamUsage, unsupportedParams });
    }
    case "azure-openai":
      return createAzureOpenAiAdapter(config);
    case "simulator": {
      if (config.simulator === undefined)
        throw new Error(`provider ${config.name}: simulator settings missing`);
      // Loaded only when configured: the simulator brings a tokenizer's tables into memory.
      const { startSimulatorServer } = await import("./simulator/simulator-server.js");
      const server = await startSimulatorServer(config.simulator, { host: "127.0.0.1", port: 0 });
      return createOpenAiAdapter(config, {
        baseUrl: `${server.url}/v1`,
        forwardedHeaderPrefixes: ["x-simulator-"],
        onClose: () => server.close(),
      });
    }
  }
}
