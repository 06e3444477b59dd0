/** A gateway config with a mock Anthropic upstream, a mock OpenAI upstream and the simulator, one model each. */
export function anthropicTestConfig(anthropicUrl: string, openAiUrl: string): string {
  return `
providers:
  - name: claude
    type: anthropic
    baseUrl: ${anthropicUrl}
    apiKey: anthropic-upstream-secret
  - name: gpt
    type: openai-compatible
    baseUrl: ${openAiUrl}
    apiKey: openai-upstream-secret
  - name: sim
    type: simulator
models:
  - name: claude-house
    targets:
      - provider: claude
        model: claude-sonnet-4-5-20250929
  - name: gpt-4o
    targets:
      - provider: gpt
        model: gpt-4o-2024-08-06
  - name: sim-small
    targets:
      - provider: sim
  - name: claude-or-gpt
    targets:
      - provider: claude
        model: claude-sonnet-4-5-20250929
      - provider: gpt
        model: gpt-4o-2024-08-06
keys:
  refreshIntervalMs: 20
requestLog:
  flushIntervalMs: 60000
`;
}
