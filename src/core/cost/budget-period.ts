import type { BudgetPeriod } from "../gateway-config.js";

export interface PeriodWindow {
  /** Epoch ms of the period's first instant (local midnight in the time zone). */
  readonly startMs: number;
  /** Epoch ms of the next period's first instant. */
  readonly endMs: number;
}

/** The calendar period (day, ISO week from Monday, month) containing `atMs`, aligned in `timeZone`. */
export function periodWindow(period: BudgetPeriod, timeZone: string, atMs: number): PeriodWindow {
  const { year, month, day, weekday } = localDate(atMs, timeZone);
  if (period === "day") {
    return {
      startMs: localMidnight(year, month, day, timeZone),
      endMs: localMidnight(year, month, day + 1, timeZone),
    };
  }
  if (period === "week") {
    const sinceMonday = (weekday + 6) % 7;
    return {
      startMs: localMidnight(year, month, day - sinceMonday, timeZone),
      endMs: localMidnight(year, month, day - sinceMonday + 7, timeZone),
    };
  }
  return {
    startMs: localMidnight(year, month, 1, timeZone),
    endMs: localMidnight(year, month + 1, 1, timeZone),
  };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, format);
  }
  return format;
}

const weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

interface LocalDate {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday */
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function localDate(atMs: number, timeZone: string): LocalDate {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(atMs)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: weekdays.indexOf(parts.weekday ?? "Sun"),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of the zone from UTC at `atMs`, in ms (positive east of Greenwich). */
function zoneOffset(atMs: number, timeZone: string): number {
  const local = localDate(atMs, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(atMs / 1000) * 1000;
}

/** The instant of local midnight on that (possibly overflowing, e.g. day 32) date in the zone. */
function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const wallClock = Date.UTC(year, month - 1, day);
  let instant = wallClock - zoneOffset(wallClock, timeZone);
  // Across a DST change the offset at the guess differs from the offset at the answer; one correction suffices.
  instant = wallClock - zoneOffset(instant, timeZone);
  return instant;
}
