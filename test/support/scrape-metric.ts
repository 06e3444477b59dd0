/** The value of one Prometheus sample line (`name{labels} value`) from the gateway's `/metrics`, or undefined. */
export async function scrapeMetric(baseUrl: string, sample: string): Promise<number | undefined> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  for (const line of text.split("\n")) {
    if (line.startsWith(`${sample} `)) return Number(line.slice(sample.length + 1));
  }
  return undefined;
}
