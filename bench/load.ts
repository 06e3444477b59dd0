import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { Agent, request } from "undici";

export interface LoadJob {
  readonly url: string;
  readonly connections: number;
  readonly warmupS: number;
  readonly durationS: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** A numeric response header to collect, e.g. the gateway's self-reported overhead. */
  readonly sampleHeader?: string;
  /** The process serving `url`, whose CPU time (all threads) is read around the measured phase. */
  readonly serverPid: number;
}

/** One measured slice of a case. Samples travel back raw so that slices can be merged exactly. */
export interface LoadSlice {
  readonly ok: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  /** 2xx responses whose body was not the expected kind (no `usage`). */
  readonly badBodies: number;
  readonly statusCodes: Readonly<Record<string, number>>;
  readonly durationS: number;
  /** Per 2xx response, in ms at microsecond resolution (autocannon's own histogram rounds to whole ms). */
  readonly latenciesMs: Float64Array;
  readonly headerValues: Float64Array;
  /** User + system CPU the server used during the measured phase; undefined where /proc is missing. */
  readonly serverCpuMs: number | undefined;
  /** The same for the server's main thread (its event loop) alone. */
  readonly serverMainCpuMs: number | undefined;
}

export interface StreamJob {
  readonly url: string;
  readonly warmupS: number;
  readonly durationS: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** How a complete stream ends; default OpenAI's `data: [DONE]`. */
  readonly endMarker?: string;
  /** The process serving `url`, whose CPU time (all threads) is read around the measured phase. */
  readonly serverPid: number;
}

export interface StreamSlice {
  readonly ok: number;
  /** Non-200, transport errors, or streams that did not end with `data: [DONE]`. */
  readonly failed: number;
  readonly durationS: number;
  /** Request start to first body byte. */
  readonly ttfbMs: Float64Array;
  /** Request start to the end of the stream. */
  readonly totalMs: Float64Array;
  /** User + system CPU the server used during the measured phase; undefined where /proc is missing. */
  readonly serverCpuMs: number | undefined;
}

// USER_HZ is 100 on every Linux build Node supports; /proc/<pid>/stat counts in those ticks.
const msPerTick = 10;

/** utime + stime of a whole process (all threads), from /proc/<pid>/stat fields 14 and 15. */
export function processCpuMs(pid: number): number | undefined {
  return cpuMsFromStat(`/proc/${pid}/stat`);
}

/** utime + stime of a process's main thread (the event loop), from /proc/<pid>/task/<pid>/stat. */
export function mainThreadCpuMs(pid: number): number | undefined {
  return cpuMsFromStat(`/proc/${pid}/task/${pid}/stat`);
}

function cpuMsFromStat(file: string): number | undefined {
  try {
    const stat = readFileSync(file, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * msPerTick;
  } catch {
    return undefined;
  }
}

async function cannon(job: LoadJob, durationS: number): Promise<LoadSlice> {
  const cpuBefore = processCpuMs(job.serverPid);
  const mainCpuBefore = mainThreadCpuMs(job.serverPid);
  const latencies: number[] = [];
  const headerValues: number[] = [];
  let badBodies = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: durationS,
        timeout: 10,
        requests: [
          {
            method: "POST",
            headers: { ...job.headers },
            body: job.body,
            onResponse: (status, body, _context, headers = {}) => {
              if (status < 200 || status >= 300) return;
              if (!body.includes('"usage"')) badBodies += 1;
              if (job.sampleHeader !== undefined) {
                const value = Number(headers[job.sampleHeader]);
                if (Number.isFinite(value)) headerValues.push(value);
              }
            },
          },
        ],
      },
      (error: unknown, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, status, _bytes, responseTime) => {
      if (status >= 200 && status < 300) latencies.push(responseTime);
    });
  });
  const cpuAfter = processCpuMs(job.serverPid);
  const mainCpuAfter = mainThreadCpuMs(job.serverPid);
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stat.count ?? 0;
  return {
    ok: result["2xx"],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    badBodies,
    statusCodes,
    durationS: result.duration,
    latenciesMs: Float64Array.from(latencies),
    headerValues: Float64Array.from(headerValues),
    serverCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    serverMainCpuMs:
      mainCpuBefore === undefined || mainCpuAfter === undefined ? undefined : mainCpuAfter - mainCpuBefore,
  };
}

/** Warms up (results dropped), then measures, with the same connection count. */
export async function runLoad(job: LoadJob): Promise<LoadSlice> {
  if (job.warmupS > 0) await cannon(job, job.warmupS);
  return cannon(job, job.durationS);
}

/** Streams sequentially on one keep-alive connection, timing the first body byte and the end of each stream. */
export async function runStreamLoad(job: StreamJob): Promise<StreamSlice> {
  const dispatcher = new Agent({ connections: 1, keepAliveTimeout: 30_000 });
  const ttfb: number[] = [];
  const total: number[] = [];
  let failed = 0;

  async function once(record: boolean): Promise<void> {
    const began = performance.now();
    let first: number | undefined;
    let text = "";
    try {
      const response = await request(job.url, {
        method: "POST",
        dispatcher,
        headers: job.headers,
        body: job.body,
      });
      for await (const chunk of response.body) {
        first ??= performance.now();
        text += (chunk as Buffer).toString("utf8");
      }
      const ended = performance.now();
      if (
        response.statusCode !== 200 ||
        first === undefined ||
        !text.endsWith(job.endMarker ?? "data: [DONE]\n\n")
      ) {
        if (record) failed += 1;
        return;
      }
      if (record) {
        ttfb.push(first - began);
        total.push(ended - began);
      }
    } catch {
      if (record) failed += 1;
    }
  }

  const warmupEnds = performance.now() + job.warmupS * 1000;
  while (performance.now() < warmupEnds) await once(false);
  const cpuBefore = processCpuMs(job.serverPid);
  const began = performance.now();
  const ends = began + job.durationS * 1000;
  while (performance.now() < ends) await once(true);
  const durationS = (performance.now() - began) / 1000;
  const cpuAfter = processCpuMs(job.serverPid);
  await dispatcher.close();
  return {
    ok: ttfb.length,
    failed,
    durationS,
    ttfbMs: Float64Array.from(ttfb),
    totalMs: Float64Array.from(total),
    serverCpuMs: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}
