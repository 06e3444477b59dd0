import { z } from "zod";
import type { GeminiVertexSettings } from "../core/gateway-config.js";

/** `providers[].vertex` (type gemini only): reach Gemini through Vertex AI in this project and location. */
export const geminiVertexSchema = z
  .object({
    project: z.string().regex(/^[a-z][a-z0-9-]{4,61}[a-z0-9]$/, "a Google Cloud project id"),
    location: z.string().regex(/^[a-z0-9-]+$/, "a Vertex location such as us-central1 or global"),
  })
  .strict();

export const geminiAiStudioBaseUrl = "https://generativelanguage.googleapis.com/v1beta";

/** The Vertex AI base for Google's publisher models; the adapter appends `/models/{model}:{method}`. */
export function vertexBaseUrl(vertex: GeminiVertexSettings): string {
  const host =
    vertex.location === "global"
      ? "aiplatform.googleapis.com"
      : `${vertex.location}-aiplatform.googleapis.com`;
  return `https://${host}/v1/projects/${vertex.project}/locations/${vertex.location}/publishers/google`;
}
