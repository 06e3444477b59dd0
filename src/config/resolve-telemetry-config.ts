import type { TelemetryConfig } from "../core/gateway-config.js";
import type { TelemetryConfigFile } from "./telemetry-config-schema.js";

type Environment = Readonly<Record<string, string | undefined>>;

const defaultEndpoint = "http://localhost:4318/v1/traces";

/**
 * The file's `telemetry` section, completed from the OpenTelemetry SDK environment variables
 * (`OTEL_SDK_DISABLED`, `OTEL_TRACES_EXPORTER`, `OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_[TRACES_]HEADERS`, `OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER[_ARG]`). The file wins.
 */
export function resolveTelemetryConfig(file: TelemetryConfigFile, environment: Environment): TelemetryConfig {
  const traces = file.traces;
  const value = (name: string) => {
    const raw = environment[name]?.trim();
    return raw === undefined || raw === "" ? undefined : raw;
  };
  const tracesEndpoint = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
  const baseEndpoint = value("OTEL_EXPORTER_OTLP_ENDPOINT");
  const environmentEndpoint =
    tracesEndpoint ??
    (baseEndpoint === undefined ? undefined : `${baseEndpoint.replace(/\/+$/, "")}/v1/traces`);
  const environmentDisabled =
    value("OTEL_SDK_DISABLED")?.toLowerCase() === "true" || value("OTEL_TRACES_EXPORTER") === "none";
  const sampling = environmentSampling(value("OTEL_TRACES_SAMPLER"), value("OTEL_TRACES_SAMPLER_ARG"));
  return {
    traces: {
      enabled: traces.enabled ?? (!environmentDisabled && environmentEndpoint !== undefined),
      endpoint: traces.endpoint ?? environmentEndpoint ?? defaultEndpoint,
      headers:
        traces.headers ??
        parseHeaderList(value("OTEL_EXPORTER_OTLP_TRACES_HEADERS") ?? value("OTEL_EXPORTER_OTLP_HEADERS")),
      sampleRatio: traces.sampleRatio ?? sampling.ratio,
      parentBased: traces.parentBased ?? sampling.parentBased,
      serviceName: traces.serviceName ?? value("OTEL_SERVICE_NAME") ?? "switchyard",
      scheduledDelayMs: traces.scheduledDelayMs,
      maxQueueSize: traces.maxQueueSize,
      exportTimeoutMs: traces.exportTimeoutMs,
      content: {
        enabled: traces.content.enabled,
        maxChars: traces.content.maxChars,
        models: traces.content.models,
        teams: traces.content.teams,
      },
    },
  };
}

/** `always_on`, `always_off`, `traceidratio` and their `parentbased_` forms; anything else keeps the default. */
function environmentSampling(
  name: string | undefined,
  argument: string | undefined,
): { ratio: number; parentBased: boolean } {
  const parentBased = name === undefined || name.startsWith("parentbased_");
  const base = name?.replace(/^parentbased_/, "");
  if (base === "always_off") return { ratio: 0, parentBased };
  if (base === "traceidratio") {
    const ratio = Number(argument);
    return { ratio: Number.isFinite(ratio) && ratio >= 0 && ratio <= 1 ? ratio : 1, parentBased };
  }
  return { ratio: 1, parentBased };
}

/** `name=value,name2=value2`, values percent-decoded, as the OTLP exporter spec defines. */
function parseHeaderList(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (text === undefined) return headers;
  for (const pair of text.split(",")) {
    const separator = pair.indexOf("=");
    if (separator <= 0) continue;
    const name = pair.slice(0, separator).trim().toLowerCase();
    const raw = pair.slice(separator + 1).trim();
    try {
      headers[name] = decodeURIComponent(raw);
    } catch {
      headers[name] = raw;
    }
  }
  return headers;
}
