import { z } from "zod";
import { openAiCompatiblePresetNames, openAiCompatiblePresets } from "../core/openai-compatible-presets.js";

/** `providers[].preset` (type openai-compatible only): a server whose defaults Switchyard knows. */
export const openAiCompatiblePresetSchema = z.enum(openAiCompatiblePresetNames);

interface ProviderFields {
  readonly type: string;
  readonly baseUrl?: string | undefined;
  readonly preset?: z.infer<typeof openAiCompatiblePresetSchema> | undefined;
}

/**
 * `preset` belongs to `type: openai-compatible`; such a provider needs a `baseUrl` unless its preset has a
 * default (TGI has none: it is always self-hosted).
 */
export function checkOpenAiCompatiblePreset(provider: ProviderFields, context: z.RefinementCtx): void {
  if (provider.type !== "openai-compatible") {
    if (provider.preset !== undefined)
      context.addIssue({
        code: "custom",
        path: ["preset"],
        message: "only allowed for type openai-compatible",
      });
    return;
  }
  if (provider.baseUrl !== undefined) return;
  if (provider.preset === undefined) {
    context.addIssue({ code: "custom", path: ["baseUrl"], message: "required for type openai-compatible" });
  } else if (openAiCompatiblePresets[provider.preset].defaultBaseUrl === undefined) {
    context.addIssue({
      code: "custom",
      path: ["baseUrl"],
      message: `required for type openai-compatible with preset ${provider.preset} (it has no default)`,
    });
  }
}
