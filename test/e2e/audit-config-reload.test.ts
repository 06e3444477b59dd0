import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../../src/config/load-config.js";
import { verifyAuditLog } from "../../src/control/verify-audit-log.js";
import { configuredAuditPublicKey } from "../../src/main.js";
import { type MockOpenAiUpstream, startMockOpenAiUpstream } from "../support/mock-openai-upstream.js";
import { mockUpstreamConfig, startTestGateway, type TestGateway } from "../support/start-test-gateway.js";

describe("config reload in the audit log", () => {
  let upstream: MockOpenAiUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    upstream = await startMockOpenAiUpstream();
    gateway = await startTestGateway(mockUpstreamConfig(upstream.url));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  it("records config.reload with before and after, secrets fingerprinted, and checkpoints it", async () => {
    const next = parseConfigText(
      mockUpstreamConfig(upstream.url).replace("apiKey: upstream-secret", "apiKey: rotated-secret"),
      path.join(gateway.dataDir, "switchyard.yaml"),
      {},
      { port: 0, host: "127.0.0.1", dataDir: gateway.dataDir },
    );
    expect(await gateway.running.reload(next)).toEqual([]);
    const [record] = await gateway.running.storage.audit.read({});
    expect(record).toMatchObject({
      sequence: 1,
      actor: { kind: "system", id: "sighup" },
      action: "config.reload",
      target: "config:file",
      reason: null,
    });
    const text = JSON.stringify(record);
    for (const secret of ["upstream-secret", "rotated-secret", "org-test", "backup-secret"]) {
      expect(text).not.toContain(secret);
    }
    const apiKeyOf = (view: unknown) => (view as { providers: { apiKey: string }[] }).providers[0]?.apiKey;
    expect(apiKeyOf(record?.before)).toMatch(/^sha256:[0-9a-f]{12}$/);
    expect(apiKeyOf(record?.after)).not.toBe(apiKeyOf(record?.before));

    const publicKey = configuredAuditPublicKey(next);
    if (publicKey === undefined) throw new Error("the gateway created no audit signing key");
    const verification = await verifyAuditLog(gateway.running.storage.audit, publicKey);
    expect(verification).toMatchObject({ problem: undefined, records: 1, lastCheckpointSequence: 1 });
  });
});
