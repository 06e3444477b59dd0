import { mockBedrockCredentials } from "./mock-bedrock-upstream.js";

/** The Bedrock model id the chat models route to; its `:` must arrive URL-encoded in the path. */
export const claudeId = "anthropic.claude-3-5-sonnet-20241022-v2:0";

/**
 * A gateway config with three bedrock providers on one mock upstream: SigV4 keys (the secret through
 * `${env:TEST_AWS_SECRET}`), a Bedrock API key (bearer), and a wrong secret the mock's signature check refuses.
 */
export function bedrockTestConfig(upstreamUrl: string): string {
  const credentials = mockBedrockCredentials;
  return `
providers:
  - name: aws
    type: bedrock
    baseUrl: ${upstreamUrl}
    bedrock:
      region: ${credentials.region}
      accessKeyId: ${credentials.accessKeyId}
      secretAccessKey: \${env:TEST_AWS_SECRET}
      sessionToken: ${credentials.sessionToken}
  - name: aws-api-key
    type: bedrock
    baseUrl: ${upstreamUrl}
    apiKey: ${credentials.bearerToken}
    bedrock:
      region: ${credentials.region}
  - name: aws-wrong-secret
    type: bedrock
    baseUrl: ${upstreamUrl}
    bedrock:
      region: ${credentials.region}
      accessKeyId: ${credentials.accessKeyId}
      secretAccessKey: not-the-secret
      sessionToken: ${credentials.sessionToken}
models:
  - name: claude-bedrock
    targets:
      - provider: aws
        model: ${claudeId}
  - name: claude-bedrock-key
    targets:
      - provider: aws-api-key
        model: ${claudeId}
  - name: claude-bedrock-unsigned
    targets:
      - provider: aws-wrong-secret
        model: ${claudeId}
  - name: titan-embed
    targets:
      - provider: aws
        model: amazon.titan-embed-text-v2:0
keys:
  refreshIntervalMs: 20
requestLog:
  flushIntervalMs: 60000
`;
}
