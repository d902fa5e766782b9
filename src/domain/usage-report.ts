// What GetUsage reports for one API key of a usage plan (control-plane.md §3.14): one `[used, remaining]` pair
// per UTC day, oldest first. `used` is the day's metered calls over the plan's API stages; `remaining` is what
// the quota period still allowed at the end of that day — the period's allowance (limit, minus `offset` in the
// initial period, plus any UpdateUsage extension) less the calls metered from the period's start through that
// day. A plan without a quota reports 0 remaining (AWS's answer there is unverified, control-plane.md §10).
import { periodBounds, periodKey, periodLimit, utcDay } from "../limits/quota-period.js";
import type { QuotaState, UsageStore } from "../store/usage-store.js";
import type { UsagePlanDoc } from "./usage.js";

export type UsagePair = [used: number, remaining: number];

const DAY_MS = 86_400_000;

const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** Pairs for `startDate`..`endDate` inclusive (`YYYY-MM-DD`, already validated, start ≤ end). */
export async function dailyUsage(usage: UsageStore, plan: UsagePlanDoc, keyId: string, startDate: string, endDate: string): Promise<UsagePair[]> {
  const first = dayStart(startDate);
  const last = dayStart(endDate);
  const quota = plan.quota;
  // Remaining on the first day depends on the calls since its period began, so read metering from there.
  const from = quota ? periodBounds(quota.period, first).start : first;
  const metered = await usage.readMetering(keyId, plan.apiStages, utcDay(from), endDate);
  const callsByDay = new Map(metered.map((m) => [m.day, m.calls]));
  const pairs: UsagePair[] = [];
  if (!quota) {
    for (let d = first; d <= last; d += DAY_MS) pairs.push([callsByDay.get(utcDay(d)) ?? 0, 0]);
    return pairs;
  }
  const quotaSince = plan.quotaSince === undefined ? undefined : plan.quotaSince * 1000;
  const states = new Map<string, QuotaState>();
  let period = "";
  let cumulative = 0;
  for (let d = from; d <= last; d += DAY_MS) {
    const key = periodKey(quota.period, d);
    if (key !== period) {
      period = key;
      cumulative = 0;
    }
    const used = callsByDay.get(utcDay(d)) ?? 0;
    cumulative += used;
    if (d < first) continue;
    let state = states.get(key);
    if (!state) {
      state = await usage.readQuota({ usagePlanId: plan.id, keyId, periodStart: key }, periodLimit(quota, quotaSince, d));
      states.set(key, state);
    }
    // remaining + used of the counter is the period's whole allowance (limit + extension).
    pairs.push([used, Math.max(0, state.remaining + state.used - cumulative)]);
  }
  return pairs;
}
