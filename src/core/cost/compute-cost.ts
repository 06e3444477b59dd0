import type { ModelPrice } from "./model-price.js";
import type { TokenUsage } from "./token-usage.js";

export interface RequestCost {
  readonly costUsd: number;
  /** What the cached-read tokens would have cost more at the input price. */
  readonly cacheSavingsUsd: number;
}

const perMillion = 1_000_000;

/**
 * cost = (input − cached − cache-write)·input + cached·cached-read + cache-write·write
 *        + (output − reasoning)·output + reasoning·reasoning + per-request + images·per-image.
 * With the default reasoning price (the output price) the last terms are output·output.
 */
export function computeCost(usage: TokenUsage, price: ModelPrice, images = 0): RequestCost {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const cached = Math.min(usage.cachedTokens ?? 0, input);
  const cacheWrite = Math.min(usage.cacheWriteTokens ?? 0, input - cached);
  const reasoning = Math.min(usage.reasoningTokens ?? 0, output);
  const cachedReadPrice = price.cachedRead ?? price.input;
  const tokenCost =
    (input - cached - cacheWrite) * price.input +
    cached * cachedReadPrice +
    cacheWrite * (price.cacheWrite ?? price.input) +
    (output - reasoning) * price.output +
    reasoning * (price.reasoning ?? price.output);
  return {
    costUsd: tokenCost / perMillion + (price.perRequest ?? 0) + images * (price.perImage ?? 0),
    cacheSavingsUsd: (cached * (price.input - cachedReadPrice)) / perMillion,
  };
}

/** The most a request can cost: every input token uncached, every allowed output token generated. */
export function worstCaseCost(price: ModelPrice, inputTokens: number, maxOutputTokens: number): number {
  const inputPrice = Math.max(price.input, price.cacheWrite ?? 0);
  const outputPrice = Math.max(price.output, price.reasoning ?? 0);
  return (inputTokens * inputPrice + maxOutputTokens * outputPrice) / perMillion + (price.perRequest ?? 0);
}
