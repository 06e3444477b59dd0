/** The OpenAI-compatible servers `type: openai-compatible` knows by name (`preset:`). */
export const openAiCompatiblePresetNames = [
  "vllm",
  "ollama",
  "tgi",
  "groq",
  "together",
  "mistral",
  "deepseek",
  "fireworks",
  "openrouter",
] as const;

export type OpenAiCompatiblePresetName = (typeof openAiCompatiblePresetNames)[number];

/**
 * What a preset knows about one OpenAI-compatible server. Sources and open questions are listed per preset in
 * docs/providers.md ("OpenAI-compatible presets"); where a claim could not be verified the preset keeps the
 * conservative choice.
 */
export interface OpenAiCompatiblePreset {
  /** `baseUrl` when the config gives none; undefined means the config must give one (no public default). */
  readonly defaultBaseUrl: string | undefined;
  /** The environment variable the key is read from when `apiKey` is absent; undefined for keyless servers. */
  readonly apiKeyEnvironmentVariable: string | undefined;
  /**
   * Whether the gateway asks for `stream_options.include_usage`. False where the server is not known to accept
   * it; the usage a server sends on its own in the last chunk is still read.
   */
  readonly streamUsage: boolean;
  /** Top-level request fields the server rejects with a 400; they are dropped with a warning. */
  readonly unsupportedParams: readonly string[];
}

export const openAiCompatiblePresets: Readonly<Record<OpenAiCompatiblePresetName, OpenAiCompatiblePreset>> = {
  vllm: {
    defaultBaseUrl: "http://localhost:8000/v1",
    apiKeyEnvironmentVariable: undefined,
    streamUsage: true,
    unsupportedParams: [],
  },
  ollama: {
    defaultBaseUrl: "http://localhost:11434/v1",
    apiKeyEnvironmentVariable: undefined,
    streamUsage: true,
    unsupportedParams: [],
  },
  tgi: {
    defaultBaseUrl: undefined,
    apiKeyEnvironmentVariable: undefined,
    streamUsage: false,
    unsupportedParams: [],
  },
  groq: {
    defaultBaseUrl: "https://api.groq.com/openai/v1",
    apiKeyEnvironmentVariable: "GROQ_API_KEY",
    streamUsage: true,
    // console.groq.com/docs/openai: "will result in a 400 error"; `messages[].name` too (not handled yet).
    unsupportedParams: ["logprobs", "logit_bias", "top_logprobs"],
  },
  together: {
    defaultBaseUrl: "https://api.together.xyz/v1",
    apiKeyEnvironmentVariable: "TOGETHER_API_KEY",
    streamUsage: true,
    unsupportedParams: [],
  },
  mistral: {
    defaultBaseUrl: "https://api.mistral.ai/v1",
    apiKeyEnvironmentVariable: "MISTRAL_API_KEY",
    streamUsage: false,
    unsupportedParams: [],
  },
  deepseek: {
    defaultBaseUrl: "https://api.deepseek.com/v1",
    apiKeyEnvironmentVariable: "DEEPSEEK_API_KEY",
    streamUsage: true,
    unsupportedParams: [],
  },
  fireworks: {
    defaultBaseUrl: "https://api.fireworks.ai/inference/v1",
    apiKeyEnvironmentVariable: "FIREWORKS_API_KEY",
    streamUsage: true,
    unsupportedParams: [],
  },
  openrouter: {
    defaultBaseUrl: "https://openrouter.ai/api/v1",
    apiKeyEnvironmentVariable: "OPENROUTER_API_KEY",
    // `stream_options.include_usage` is deprecated there and has no effect: usage is always in the last chunk.
    streamUsage: false,
    unsupportedParams: [],
  },
};
