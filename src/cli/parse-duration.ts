const units: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Reads `90s`, `15m`, `1h`, `7d`, `2w` as milliseconds, or an ISO date as epoch ms relative to nothing. */
export function parseSince(value: string, nowMs: number): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (match?.[1] !== undefined && match[2] !== undefined) {
    return nowMs - Number(match[1]) * (units[match[2]] ?? 0);
  }
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw new Error(`not a duration (like 15m, 1h, 7d) or a date: ${value}`);
  return date;
}

/** `5xx` → class 5; `404` → exactly 404. */
export function parseStatusFilter(value: string): { status?: number; statusClass?: number } {
  const classMatch = /^([1-5])xx$/i.exec(value.trim());
  if (classMatch?.[1] !== undefined) return { statusClass: Number(classMatch[1]) };
  const status = Number(value);
  if (Number.isInteger(status) && status >= 100 && status <= 599) return { status };
  throw new Error(`not a status or status class (like 429 or 5xx): ${value}`);
}

/** Reads `90s`, `1h`, `30d` as that long from now, or an ISO date, as epoch ms (for `--expires`). */
export function parseExpiry(value: string, nowMs: number): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (match?.[1] !== undefined && match[2] !== undefined) {
    return nowMs + Number(match[1]) * (units[match[2]] ?? 0);
  }
  const date = Date.parse(value);
  if (Number.isNaN(date)) throw new Error(`not a duration from now (like 1h, 30d) or a date: ${value}`);
  return date;
}

/** Reads `0`, `90s`, `1h`, `7d` as a length of time in milliseconds (for `--grace`). */
export function parseDurationMs(value: string): number {
  if (value.trim() === "0") return 0;
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new Error(`not a duration (like 0, 90s, 1h, 7d): ${value}`);
  }
  return Math.round(Number(match[1]) * (units[match[2]] ?? 0));
}
