// Group commit for the SQLite usage store. Every data-plane request with a usage plan writes twice (the quota
// decision before the response, the metering row after it); as separate autocommit statements each pays a WAL
// commit (~40–50 µs). Here the writes issued during one event-loop turn are queued and run together, in order,
// as one transaction at the end of the turn (setImmediate): the per-statement work is a few microseconds and the
// commit is shared. Each call's promise still settles only after its transaction committed, so a quota decision
// is durable before the response that depends on it, and an admitted count is exact (the conditional upserts run
// one after another inside the transaction). Reads and management writes first flush what is queued, so they
// observe every earlier call.
import type { ApiStageRef, ConsumeResult, DailyMetering, MeterKey, MeteringRow, QuotaCounterKey, QuotaState, UsageStore } from "./usage-store.js";

/** A usage store whose calls can share one write transaction (SqliteUsageStore). */
export interface TransactionalUsageStore extends UsageStore {
  /** Runs `fn` as one write transaction; the store's calls made inside it execute their statements synchronously. */
  transaction(fn: () => void): void;
}

interface Pending {
  readonly call: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
  outcome?: Promise<unknown>;
}

export class GroupCommitUsageStore implements UsageStore {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly inner: TransactionalUsageStore) {}

  consumeQuota(key: QuotaCounterKey, limit: number, meter?: MeterKey): Promise<ConsumeResult> {
    return this.enqueue(() => this.inner.consumeQuota(key, limit, meter));
  }

  meter(key: MeterKey, responseBytes: number, calls?: number): Promise<void> {
    return this.enqueue(() => this.inner.meter(key, responseBytes, calls));
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

  private enqueue<T>(call: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ call, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.flushScheduled);
      }
    });
  }

  private readonly flushScheduled = (): void => {
    this.flush();
  };

  /** Runs every queued call in one transaction, now. */
  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const calls = this.pending;
    this.pending = [];
    let failure: unknown;
    try {
      // Each inner call runs its statement synchronously here; its promise settles in a later microtask.
      this.inner.transaction(() => {
        for (const c of calls) c.outcome = c.call();
      });
    } catch (err) {
      failure = err ?? new Error("usage store transaction failed");
    }
    for (const c of calls) {
      if (failure === undefined && c.outcome) {
        c.outcome.then(c.resolve, c.reject);
      } else {
        // BEGIN or COMMIT failed (lock timeout, disk full): nothing of the batch is durable, so no call succeeds.
        c.outcome?.catch(() => undefined);
        c.reject(failure);
      }
    }
  }
}
