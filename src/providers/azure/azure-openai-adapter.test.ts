import { describe, expect, it } from "vitest";
import type { AzureOpenAiSettings } from "../../core/azure-openai-settings.js";
import { azureAuthHeaders, azureOpenAiUrl } from "./azure-openai-adapter.js";

const deployments: AzureOpenAiSettings = {
  endpoint: "https://contoso.openai.azure.com",
  apiVersion: "2024-10-21",
  api: "deployments",
  entraToken: undefined,
};

describe("azureOpenAiUrl", () => {
  it("puts the deployment (the target's model) in the path and api-version in the query", () => {
    expect(azureOpenAiUrl(deployments, "chat.completions", "gpt-4o-prod")).toBe(
      "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21",
    );
    expect(azureOpenAiUrl(deployments, "embeddings", "embed small/eu")).toBe(
      "https://contoso.openai.azure.com/openai/deployments/embed%20small%2Feu/embeddings?api-version=2024-10-21",
    );
  });

  it("uses /openai/v1 without api-version or deployment for the v1 API", () => {
    const v1: AzureOpenAiSettings = { ...deployments, api: "v1" };
    expect(azureOpenAiUrl(v1, "chat.completions", "gpt-4o")).toBe(
      "https://contoso.openai.azure.com/openai/v1/chat/completions",
    );
    expect(azureOpenAiUrl(v1, "embeddings", "text-embedding-3-small")).toBe(
      "https://contoso.openai.azure.com/openai/v1/embeddings",
    );
  });

  it("serves no Anthropic operation natively (those are translated to chat completions)", () => {
    expect(azureOpenAiUrl(deployments, "messages", "gpt-4o")).toBeUndefined();
    expect(azureOpenAiUrl(deployments, "messages.count_tokens", "gpt-4o")).toBeUndefined();
  });
});

describe("azureAuthHeaders", () => {
  it("sends the key as api-key, or an Entra token as a bearer token instead", () => {
    expect(azureAuthHeaders(deployments, "azure-key")).toEqual({ "api-key": "azure-key" });
    expect(azureAuthHeaders({ ...deployments, entraToken: "eyJ0eXAi" }, undefined)).toEqual({
      authorization: "Bearer eyJ0eXAi",
    });
    expect(azureAuthHeaders(deployments, undefined)).toEqual({});
  });
});

describe("azureOpenAiUrl for the Responses API", () => {
  it("uses /openai/v1/responses in both URL styles (Azure serves Responses on its v1 surface only)", () => {
    expect(azureOpenAiUrl(deployments, "responses", "gpt-4o-prod")).toBe(
      "https://contoso.openai.azure.com/openai/v1/responses",
    );
    expect(azureOpenAiUrl({ ...deployments, api: "v1" }, "responses", "gpt-4o")).toBe(
      "https://contoso.openai.azure.com/openai/v1/responses",
    );
  });
});
