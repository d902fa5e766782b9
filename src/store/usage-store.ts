// Durable usage counters: usage-plan quota per (plan, API key, quota period) and daily metering per
// (API key, API, stage, day). SQLite (embedded default) and PostgreSQL (nodes sharing a database) implement it,
// both with one conditional upsert per quota decision; a Redis counter (one Lua script per call) fits the same
// contract. Every method is async so callers do not change with the implementation; each call is durable when
// its promise resolves. The shared contract suite is test/helpers/usage-store-contract.ts.

/** One quota counter. `periodStart` is the UTC date (`YYYY-MM-DD`) the quota period starts on (quota-period.ts). */
export interface QuotaCounterKey {
  readonly usagePlanId: string;
  readonly keyId: string;
  readonly periodStart: string;
}

export interface QuotaState {
  /** Requests admitted in the period. */
  readonly used: number;
  /** Requests still allowed in the period: limit + granted extension − used, never below 0. */
  readonly remaining: number;
}

export interface ConsumeResult extends QuotaState {
  readonly allowed: boolean;
}

/** One metering row. `day` is a UTC date `YYYY-MM-DD`. */
export interface MeterKey {
  readonly keyId: string;
  readonly apiId: string;
  readonly stage: string;
  readonly day: string;
}

export interface DailyMetering {
  readonly day: string;
  readonly calls: number;
  readonly responseBytes: number;
}

/** One metering row as billing exports it (`tollgate usage export`). */
export interface MeteringRow extends MeterKey {
  readonly calls: number;
  readonly responseBytes: number;
}

export interface ApiStageRef {
  readonly apiId: string;
  readonly stage: string;
}

export interface UsageStore {
  /**
   * Atomically counts one request against the counter if fewer than `limit` (+ any extension granted through
   * setRemaining) were admitted in the period. `limit` is the period's limit as the plan says now (the caller
   * applies `offset` for the initial period), so a changed plan takes effect on the next call. With `meter`, an
   * admitted request is also counted as one call (no bytes) on that metering row, atomically with the decision,
   * so usage reports (GetUsage) never miss a request the quota counted.
   */
  consumeQuota(key: QuotaCounterKey, limit: number, meter?: MeterKey): Promise<ConsumeResult>;
  /** The counter as it stands (0 used when nothing was counted yet). */
  readQuota(key: QuotaCounterKey, limit: number): Promise<QuotaState>;
  /** UpdateUsage `/remaining`: makes `remaining` requests allowed in the period from now on (used is kept). */
  setRemaining(key: QuotaCounterKey, limit: number, remaining: number): Promise<QuotaState>;
  /**
   * Adds `calls` (default 1) and the response bytes to the day's metering row. The data plane counts a call
   * before its response (with consumeQuota's `meter`, or calls 1 and 0 bytes) and its bytes after it (calls 0).
   */
  meter(key: MeterKey, responseBytes: number, calls?: number): Promise<void>;
  /** Calls and bytes of one key per day over the given API stages, `fromDay`..`toDay` inclusive; days without calls are omitted. */
  readMetering(keyId: string, stages: readonly ApiStageRef[], fromDay: string, toDay: string): Promise<DailyMetering[]>;
  /** Every metering row of `fromDay`..`toDay` inclusive, ordered by day, key, API and stage. */
  exportMetering(fromDay: string, toDay: string): Promise<MeteringRow[]>;
  /** Forgets a deleted usage plan's quota counters. */
  deletePlanUsage(usagePlanId: string): Promise<void>;
  close(): Promise<void>;
}

/** Type guard for `ctx.services["usage"]`, which operations receive untyped. */
export function isUsageStore(value: unknown): value is UsageStore {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return typeof v["consumeQuota"] === "function" && typeof v["readQuota"] === "function" && typeof v["meter"] === "function";
}
