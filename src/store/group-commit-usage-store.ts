// Group commit for the SQLite usage store. Every data-plane request with a usage plan writes twice (the quota
// decision before the response, the metering row after it); as separate autocommit statements each pays a WAL
// commit (~40–50 µs). Here the writes issued during one event-loop turn are queued and run together as one
// transaction at the end of the turn (setImmediate): the quota decisions one after another, in order (so an
// admitted count is exact), and the metering of the whole batch summed into one upsert per metering row — the
// batch commits or fails as a whole, so a decision and the call it counts still land together. Each call's
// promise settles only after its transaction committed, so a quota decision is durable before the response that
// depends on it. Reads and management writes first flush what is queued, so they observe every earlier call.
// Metering alone (a response's bytes, after the response) does not start a transaction of its own right away: it
// rides with the next quota decisions, or is written METER_DELAY_MS later — one transaction instead of two per
// request. Bytes still waiting when the process is SIGKILLed are lost (at most that window's); calls never are.
import type { ApiStageRef, ConsumeResult, DailyMetering, MeterKey, MeteringRow, QuotaCounterKey, QuotaState, UsageStore } from "./usage-store.js";

/** A usage store whose calls can share one write transaction (SqliteUsageStore). */
export interface TransactionalUsageStore extends UsageStore {
  /** Runs `fn` as one write transaction; the `*Now` calls made inside it execute synchronously. */
  transaction(fn: () => void): void;
  consumeQuotaNow(key: QuotaCounterKey, limit: number): ConsumeResult;
  consumeQuotaBatchNow(key: QuotaCounterKey, limit: number, count: number): { admitted: number; used: number; granted: number };
  meterNow(key: MeterKey, responseBytes: number, calls: number): void;
}

type Pending =
  | {
      readonly kind: "consume";
      readonly key: QuotaCounterKey;
      readonly limit: number;
      readonly meter: MeterKey | undefined;
      readonly resolve: (result: ConsumeResult) => void;
      readonly reject: (reason: unknown) => void;
      result?: ConsumeResult;
    }
  | {
      readonly kind: "meter";
      readonly key: MeterKey;
      readonly responseBytes: number;
      readonly calls: number;
      readonly resolve: () => void;
      readonly reject: (reason: unknown) => void;
    };

const METER_DELAY_MS = 10;

type ConsumeCall = Extract<Pending, { kind: "consume" }>;

/** Each call's result as if the group had run one by one: call i sees the counter after the first i+1 admits. */
function decideGroup(group: ConsumeCall[], before: { admitted: number; used: number; granted: number }): void {
  const allowance = group[0]!.limit + before.granted;
  group.forEach((c, i) => {
    const allowed = i < before.admitted;
    const used = before.used + (allowed ? i + 1 : before.admitted);
    c.result = { allowed, used, remaining: Math.max(0, allowance - used) };
  });
}

/** Calls and bytes of one metering row, summed over a batch. */
interface MeterSum {
  readonly key: MeterKey;
  calls: number;
  bytes: number;
}

export class GroupCommitUsageStore implements UsageStore {
  private pending: Pending[] = [];
  /** A flush is due at the end of this event-loop turn (quota decisions are waiting). */
  private immediate = false;
  /** A flush is due after METER_DELAY_MS (only metering is waiting). */
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly inner: TransactionalUsageStore) {}

  consumeQuota(key: QuotaCounterKey, limit: number, meter?: MeterKey): Promise<ConsumeResult> {
    return new Promise((resolve, reject) => this.enqueue({ kind: "consume", key, limit, meter, resolve, reject }));
  }

  meter(key: MeterKey, responseBytes: number, calls = 1): Promise<void> {
    return new Promise((resolve, reject) => this.enqueue({ kind: "meter", key, responseBytes, calls, resolve, reject }));
  }

  readQuota(key: QuotaCounterKey, limit: number): Promise<QuotaState> {
    this.flush();
    return this.inner.readQuota(key, limit);
  }

  setRemaining(key: QuotaCounterKey, limit: number, remaining: number): Promise<QuotaState> {
    this.flush();
    return this.inner.setRemaining(key, limit, remaining);
  }

  readMetering(keyId: string, stages: readonly ApiStageRef[], fromDay: string, toDay: string): Promise<DailyMetering[]> {
    this.flush();
    return this.inner.readMetering(keyId, stages, fromDay, toDay);
  }

  exportMetering(fromDay: string, toDay: string): Promise<MeteringRow[]> {
    this.flush();
    return this.inner.exportMetering(fromDay, toDay);
  }

  deletePlanUsage(usagePlanId: string): Promise<void> {
    this.flush();
    return this.inner.deletePlanUsage(usagePlanId);
  }

  async close(): Promise<void> {
    this.flush();
    await this.inner.close();
  }

  private enqueue(call: Pending): void {
    this.pending.push(call);
    if (call.kind === "consume") {
      if (!this.immediate) {
        this.immediate = true;
        setImmediate(this.flushScheduled);
      }
    } else if (!this.immediate && this.timer === undefined) {
      this.timer = setTimeout(this.flushScheduled, METER_DELAY_MS);
    }
  }

  private readonly flushScheduled = (): void => {
    this.flush();
  };

  /** Runs every queued call in one transaction, now. */
  private flush(): void {
    this.immediate = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const calls = this.pending;
    this.pending = [];
    const inner = this.inner;
    try {
      inner.transaction(() => {
        const sums = new Map<string, MeterSum>();
        const add = (key: MeterKey, calls: number, bytes: number): void => {
          const id = `${key.keyId}\u0000${key.apiId}\u0000${key.stage}\u0000${key.day}`;
          const sum = sums.get(id);
          if (sum === undefined) sums.set(id, { key, calls, bytes });
          else {
            sum.calls += calls;
            sum.bytes += bytes;
          }
        };
        // Consumes of one counter (and limit) are decided together, in arrival order: the first ones pass.
        const byCounter = new Map<string, ConsumeCall[]>();
        for (const c of calls) {
          if (c.kind === "meter") {
            add(c.key, c.calls, c.responseBytes);
            continue;
          }
          const id = `${c.key.usagePlanId}\u0000${c.key.keyId}\u0000${c.key.periodStart}\u0000${c.limit}`;
          const group = byCounter.get(id);
          if (group === undefined) byCounter.set(id, [c]);
          else group.push(c);
        }
        for (const group of byCounter.values()) {
          const first = group[0]!;
          if (group.length === 1) first.result = inner.consumeQuotaNow(first.key, first.limit);
          else decideGroup(group, inner.consumeQuotaBatchNow(first.key, first.limit, group.length));
          for (const c of group) if (c.result!.allowed && c.meter) add(c.meter, 1, 0);
        }
        for (const sum of sums.values()) inner.meterNow(sum.key, sum.bytes, sum.calls);
      });
    } catch (err) {
      // BEGIN, a statement or COMMIT failed (lock timeout, disk full): nothing of the batch is durable, so no call succeeds.
      const failure = err ?? new Error("usage store transaction failed");
      for (const c of calls) c.reject(failure);
      return;
    }
    for (const c of calls) {
      if (c.kind === "consume") c.resolve(c.result!);
      else c.resolve();
    }
  }
}
