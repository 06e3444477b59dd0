import type { PriceCatalog } from "./model-price.js";

/**
 * The shipped list prices (USD per million tokens), from the providers' public price pages. Only list prices
 * for the standard tier: batch, priority and long-context tiers are not modelled (override them in config).
 * Bump `version` with every edit; append a dated entry rather than editing a past one.
 */
export const shippedPriceCatalog: PriceCatalog = {
  version: "2026-11-01",
  models: {
    // OpenAI
    "gpt-4o": [
      { effectiveFrom: "2024-05-13", input: 5, output: 15, cachedRead: 5 },
      { effectiveFrom: "2024-10-01", input: 2.5, output: 10, cachedRead: 1.25 },
    ],
    "gpt-4o-mini": [{ effectiveFrom: "2024-07-18", input: 0.15, output: 0.6, cachedRead: 0.075 }],
    "gpt-4.1": [{ effectiveFrom: "2025-04-14", input: 2, output: 8, cachedRead: 0.5 }],
    "gpt-4.1-mini": [{ effectiveFrom: "2025-04-14", input: 0.4, output: 1.6, cachedRead: 0.1 }],
    "gpt-4.1-nano": [{ effectiveFrom: "2025-04-14", input: 0.1, output: 0.4, cachedRead: 0.025 }],
    "gpt-5": [{ effectiveFrom: "2025-08-07", input: 1.25, output: 10, cachedRead: 0.125 }],
    "gpt-5-mini": [{ effectiveFrom: "2025-08-07", input: 0.25, output: 2, cachedRead: 0.025 }],
    "gpt-5-nano": [{ effectiveFrom: "2025-08-07", input: 0.05, output: 0.4, cachedRead: 0.005 }],
    o3: [
      { effectiveFrom: "2025-04-16", input: 10, output: 40, cachedRead: 2.5 },
      { effectiveFrom: "2025-06-10", input: 2, output: 8, cachedRead: 0.5 },
    ],
    "o4-mini": [{ effectiveFrom: "2025-04-16", input: 1.1, output: 4.4, cachedRead: 0.275 }],
    "text-embedding-3-small": [{ effectiveFrom: "2024-01-25", input: 0.02, output: 0 }],
    "text-embedding-3-large": [{ effectiveFrom: "2024-01-25", input: 0.13, output: 0 }],
    // Anthropic (cache writes priced for the 5-minute cache)
    "claude-sonnet-4": [
      { effectiveFrom: "2025-05-22", input: 3, output: 15, cachedRead: 0.3, cacheWrite: 3.75 },
    ],
    "claude-sonnet-4-5": [
      { effectiveFrom: "2025-09-29", input: 3, output: 15, cachedRead: 0.3, cacheWrite: 3.75 },
    ],
    "claude-opus-4-1": [
      { effectiveFrom: "2025-08-05", input: 15, output: 75, cachedRead: 1.5, cacheWrite: 18.75 },
    ],
    "claude-haiku-4-5": [
      { effectiveFrom: "2025-10-15", input: 1, output: 5, cachedRead: 0.1, cacheWrite: 1.25 },
    ],
    "claude-3-5-haiku": [
      { effectiveFrom: "2024-11-04", input: 0.8, output: 4, cachedRead: 0.08, cacheWrite: 1 },
    ],
    // Google Gemini (prompts up to 200k tokens)
    "gemini-2.5-pro": [{ effectiveFrom: "2025-06-17", input: 1.25, output: 10, cachedRead: 0.125 }],
    "gemini-2.5-flash": [{ effectiveFrom: "2025-06-17", input: 0.3, output: 2.5, cachedRead: 0.03 }],
    "gemini-2.0-flash": [{ effectiveFrom: "2025-02-05", input: 0.1, output: 0.4, cachedRead: 0.025 }],
    // Amazon Bedrock model ids (on-demand, us-east-1)
    "anthropic.claude-sonnet-4": [
      { effectiveFrom: "2025-05-22", input: 3, output: 15, cachedRead: 0.3, cacheWrite: 3.75 },
    ],
    "amazon.nova-pro": [{ effectiveFrom: "2024-12-03", input: 0.8, output: 3.2, cachedRead: 0.2 }],
    "amazon.nova-lite": [{ effectiveFrom: "2024-12-03", input: 0.06, output: 0.24, cachedRead: 0.015 }],
    // Image generation: a price per image on top of any token price.
    "dall-e-3": [{ effectiveFrom: "2023-11-06", input: 0, output: 0, perImage: 0.04 }],
  },
};
