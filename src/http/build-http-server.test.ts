import { describe, expect, it } from "vitest";
import { Gateway } from "../gateway/gateway.js";
import { GatewayMetrics } from "../gateway/gateway-metrics.js";
import type { KeyCache } from "../gateway/key-cache.js";
import type { RequestLogWriter } from "../gateway/request-log-writer.js";
import { buildRouteTable } from "../gateway/route-table.js";
import { RouteTableHolder } from "../gateway/route-table-holder.js";
import { buildHttpServer } from "./build-http-server.js";
import { openAiStreamErrorEvent } from "./openai-error-body.js";

function server(checkReadiness: () => Promise<void>) {
  const metrics = new GatewayMetrics();
  const gateway = new Gateway({
    keys: { authenticate: () => undefined } as unknown as KeyCache,
    routes: new RouteTableHolder(buildRouteTable([], new Map())),
    requestLog: { record: () => undefined } as unknown as RequestLogWriter,
    metrics,
    renderStreamError: openAiStreamErrorEvent,
    onInternalError: () => undefined,
  });
  return buildHttpServer({
    gateway,
    metrics,
    bodyLimitBytes: 1024,
    checkReadiness,
    onError: () => undefined,
  });
}

describe("readiness", () => {
  it("answers 200 when storage answers", async () => {
    const response = await server(async () => undefined).inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ready" });
  });

  it("answers 503 GW_ERR_STORAGE_UNAVAILABLE with the reason when storage does not", async () => {
    const app = server(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    });
    const response = await app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      error: {
        message: "Storage is not reachable: connect ECONNREFUSED 127.0.0.1:5432",
        type: "overloaded_error",
        param: null,
        code: "GW_ERR_STORAGE_UNAVAILABLE",
      },
    });
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });
});
