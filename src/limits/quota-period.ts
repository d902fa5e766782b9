// Usage-plan quota periods (data-plane.md §7.3): calendar periods in UTC — a DAY starts at 00:00 UTC, a WEEK on
// Sunday 00:00 UTC, a MONTH on the 1st. `offset` follows the API reference ("the number of requests subtracted
// from the given limit in the initial time period"), not the SDK docs' "start day" reading.
import type { QuotaSettings } from "../domain/usage.js";

export type QuotaPeriodName = QuotaSettings["period"];

const DAY_MS = 86_400_000;

export interface PeriodBounds {
  /** Inclusive start, epoch milliseconds. */
  readonly start: number;
  /** Exclusive end, epoch milliseconds. */
  readonly end: number;
}

export function periodBounds(period: QuotaPeriodName, at: number): PeriodBounds {
  const d = new Date(at);
  const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  switch (period) {
    case "DAY":
      return { start: dayStart, end: dayStart + DAY_MS };
    case "WEEK": {
      const start = dayStart - d.getUTCDay() * DAY_MS;
      return { start, end: start + 7 * DAY_MS };
    }
    case "MONTH":
      return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
  }
}

/** `YYYY-MM-DD` (UTC) of an instant; the form GetUsage speaks and the usage store keys days and periods by. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** The period's identity in the usage store: the UTC date it starts on. */
export function periodKey(period: QuotaPeriodName, at: number): string {
  return utcDay(periodBounds(period, at).start);
}

/**
 * Requests allowed in the period containing `at`: `limit`, minus `offset` when that period is the initial one
 * (the period in which the quota was set, `quotaSince` in epoch ms). Never negative.
 */
export function periodLimit(quota: QuotaSettings, quotaSince: number | undefined, at: number): number {
  const initial = quotaSince !== undefined && periodBounds(quota.period, quotaSince).start === periodBounds(quota.period, at).start;
  return Math.max(0, initial ? quota.limit - quota.offset : quota.limit);
}
