/** Which of Azure OpenAI's two URL styles a provider calls. */
export type AzureOpenAiApi = "deployments" | "v1";

/** `providers[].azure` after validation: where and how to reach one Azure OpenAI resource. */
export interface AzureOpenAiSettings {
  /** The resource's origin, e.g. `https://my-resource.openai.azure.com` (no path). */
  readonly endpoint: string;
  /** The `api-version` query parameter of deployment URLs (unused by `api: v1`). */
  readonly apiVersion: string;
  /**
   * `deployments`: `{endpoint}/openai/deployments/{deployment}/…?api-version=…`, the target's `model` being the
   * deployment name; `v1`: `{endpoint}/openai/v1/…` with the model in the body.
   */
  readonly api: AzureOpenAiApi;
  /** A Microsoft Entra access token, sent as `Authorization: Bearer` instead of the `api-key` header. */
  readonly entraToken: string | undefined;
}
