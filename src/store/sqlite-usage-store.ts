// SQLite implementation of the usage store, in its own file next to the configuration store (usage.db) so the
// hot counter writes never wait behind management transactions. WAL with synchronous=NORMAL: every call is its
// own committed transaction in the WAL before it returns, which survives a SIGKILL of the process (only an OS
// crash or power loss can drop the last commits). All statements are prepared once; each call is one statement.
// Several processes may share the file (the workers of `tollgate serve` with TOLLGATE_WORKERS > 1): normal
// locking, and SQLite serialises the writers, so each conditional upsert stays exact across processes; a writer
// that finds the lock taken waits (busy_timeout) instead of failing. Nodes on other machines share counters
// through the PostgreSQL implementation instead.
import Database from "better-sqlite3";
import { join } from "node:path";
import type { ApiStageRef, ConsumeResult, DailyMetering, MeterKey, MeteringRow, QuotaCounterKey, QuotaState, UsageStore } from "./usage-store.js";

type Db = Database.Database;

interface CounterRow {
  used: number;
  granted: number;
}

interface CounterParams {
  plan: string;
  key: string;
  period: string;
  limit: number;
}

const SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS quota_usage (
    plan_id      TEXT    NOT NULL,
    key_id       TEXT    NOT NULL,
    period_start TEXT    NOT NULL,
    used         INTEGER NOT NULL,
    -- Extension granted by UpdateUsage: the period allows limit + granted requests (negative lowers it).
    granted      INTEGER NOT NULL,
    PRIMARY KEY (plan_id, key_id, period_start)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS metering (
    key_id         TEXT    NOT NULL,
    day            TEXT    NOT NULL,
    api_id         TEXT    NOT NULL,
    stage          TEXT    NOT NULL,
    calls          INTEGER NOT NULL,
    response_bytes INTEGER NOT NULL,
    PRIMARY KEY (key_id, day, api_id, stage)
  ) WITHOUT ROWID;
`;

function stateOf(row: CounterRow | undefined, limit: number): QuotaState {
  const used = row?.used ?? 0;
  const granted = row?.granted ?? 0;
  return { used, remaining: Math.max(0, limit + granted - used) };
}

export class SqliteUsageStore implements UsageStore {
  private readonly db: Db;
  private readonly consumeStmt;
  private readonly readStmt;
  private readonly setRemainingStmt;
  private readonly meterStmt;
  private readonly consumeAndMeter;
  private readonly addUsedStmt;
  /** Made once: `db.transaction()` builds a new wrapper (with defineProperties) on every call. */
  private readonly batch;
  private readonly readMeteringStmt;
  private readonly deletePlanStmt;
  private readonly exportStmt;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    // Statement journals in memory: inside a multi-statement transaction (group-commit-usage-store.ts) every
    // upsert would otherwise create a temporary file.
    this.db.pragma("temp_store = MEMORY");
    if (this.db.pragma("user_version", { simple: true }) !== SCHEMA_VERSION) {
      this.db.transaction(() => {
        this.db.exec(SCHEMA);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    }
    // One statement decides and counts. A first request inserts the counter at 1 (or at 0 when the limit
    // admits nothing); later ones increment it unless used has reached limit + granted, in which case the
    // upsert's WHERE leaves the row alone and nothing is returned. Admitted ⇔ a row came back with used > 0.
    // (VALUES, not INSERT … SELECT: the latter makes SQLite open a statement journal, ~30x slower on a file.)
    this.consumeStmt = this.db.prepare<CounterParams, CounterRow>(
      `INSERT INTO quota_usage (plan_id, key_id, period_start, used, granted)
       VALUES (@plan, @key, @period, iif(@limit > 0, 1, 0), 0)
       ON CONFLICT (plan_id, key_id, period_start) DO UPDATE SET used = used + 1 WHERE used < @limit + granted
       RETURNING used, granted`,
    );
    this.addUsedStmt = this.db.prepare<{ plan: string; key: string; period: string; n: number }>(
      `INSERT INTO quota_usage (plan_id, key_id, period_start, used, granted) VALUES (@plan, @key, @period, @n, 0)
       ON CONFLICT (plan_id, key_id, period_start) DO UPDATE SET used = used + @n`,
    );
    this.readStmt = this.db.prepare<[string, string, string], CounterRow>(
      "SELECT used, granted FROM quota_usage WHERE plan_id = ? AND key_id = ? AND period_start = ?",
    );
    this.setRemainingStmt = this.db.prepare<CounterParams & { remaining: number }, CounterRow>(
      `INSERT INTO quota_usage (plan_id, key_id, period_start, used, granted)
       VALUES (@plan, @key, @period, 0, @remaining - @limit)
       ON CONFLICT (plan_id, key_id, period_start) DO UPDATE SET granted = @remaining + used - @limit
       RETURNING used, granted`,
    );
    this.meterStmt = this.db.prepare<{ key: string; day: string; api: string; stage: string; calls: number; bytes: number }>(
      `INSERT INTO metering (key_id, day, api_id, stage, calls, response_bytes) VALUES (@key, @day, @api, @stage, @calls, @bytes)
       ON CONFLICT (key_id, day, api_id, stage) DO UPDATE SET calls = calls + excluded.calls, response_bytes = response_bytes + excluded.response_bytes`,
    );
    // The quota decision and the call it admits land together or not at all (a savepoint inside group commit).
    this.consumeAndMeter = this.db.transaction((params: CounterParams, meter: MeterKey): CounterRow | undefined => {
      const row = this.consumeStmt.get(params);
      if (row !== undefined && row.used > 0) this.meterStmt.run({ key: meter.keyId, day: meter.day, api: meter.apiId, stage: meter.stage, calls: 1, bytes: 0 });
      return row;
    });
    this.batch = this.db.transaction((fn: () => void): void => fn());
    this.readMeteringStmt = this.db.prepare<[string, string, string, string], { day: string; calls: number; bytes: number }>(
      `SELECT day, sum(calls) AS calls, sum(response_bytes) AS bytes FROM metering
       WHERE key_id = ? AND day BETWEEN ? AND ? AND api_id || '/' || stage IN (SELECT value FROM json_each(?))
       GROUP BY day ORDER BY day`,
    );
    this.deletePlanStmt = this.db.prepare<[string]>("DELETE FROM quota_usage WHERE plan_id = ?");
    this.exportStmt = this.db.prepare<[string, string], { day: string; keyId: string; apiId: string; stage: string; calls: number; responseBytes: number }>(
      `SELECT day, key_id AS keyId, api_id AS apiId, stage, calls, response_bytes AS responseBytes FROM metering
       WHERE day BETWEEN ? AND ? ORDER BY day, key_id, api_id, stage`,
    );
  }

  async consumeQuota(key: QuotaCounterKey, limit: number, meter?: MeterKey): Promise<ConsumeResult> {
    const params = { plan: key.usagePlanId, key: key.keyId, period: key.periodStart, limit };
    const row = meter ? this.consumeAndMeter(params, meter) : this.consumeStmt.get(params);
    return this.decision(key, limit, row);
  }

  /** consumeQuota without metering, run synchronously (inside a group-commit transaction). */
  consumeQuotaNow(key: QuotaCounterKey, limit: number): ConsumeResult {
    return this.decision(key, limit, this.consumeStmt.get({ plan: key.usagePlanId, key: key.keyId, period: key.periodStart, limit }));
  }

  /**
   * `count` consecutive consumeQuota calls on one counter at once, run synchronously inside a group-commit
   * transaction (which holds the write lock, so the read and the write cannot interleave with another writer):
   * the first `admitted` of them pass. Returns the counter before them.
   */
  consumeQuotaBatchNow(key: QuotaCounterKey, limit: number, count: number): { admitted: number; used: number; granted: number } {
    const row = this.readStmt.get(key.usagePlanId, key.keyId, key.periodStart);
    const used = row?.used ?? 0;
    const granted = row?.granted ?? 0;
    const admitted = Math.max(0, Math.min(count, limit + granted - used));
    if (admitted > 0) this.addUsedStmt.run({ plan: key.usagePlanId, key: key.keyId, period: key.periodStart, n: admitted });
    return { admitted, used, granted };
  }

  private decision(key: QuotaCounterKey, limit: number, row: CounterRow | undefined): ConsumeResult {
    if (row !== undefined) return { allowed: row.used > 0, ...stateOf(row, limit) };
    return { allowed: false, ...stateOf(this.readStmt.get(key.usagePlanId, key.keyId, key.periodStart), limit) };
  }

  async readQuota(key: QuotaCounterKey, limit: number): Promise<QuotaState> {
    return stateOf(this.readStmt.get(key.usagePlanId, key.keyId, key.periodStart), limit);
  }

  async setRemaining(key: QuotaCounterKey, limit: number, remaining: number): Promise<QuotaState> {
    const row = this.setRemainingStmt.get({ plan: key.usagePlanId, key: key.keyId, period: key.periodStart, limit, remaining });
    return stateOf(row, limit);
  }

  async meter(key: MeterKey, responseBytes: number, calls = 1): Promise<void> {
    this.meterNow(key, responseBytes, calls);
  }

  /** meter, run synchronously (inside a group-commit transaction). */
  meterNow(key: MeterKey, responseBytes: number, calls: number): void {
    this.meterStmt.run({ key: key.keyId, day: key.day, api: key.apiId, stage: key.stage, calls, bytes: responseBytes });
  }

  async readMetering(keyId: string, stages: readonly ApiStageRef[], fromDay: string, toDay: string): Promise<DailyMetering[]> {
    if (stages.length === 0) return [];
    const names = JSON.stringify(stages.map((s) => `${s.apiId}/${s.stage}`));
    return this.readMeteringStmt.all(keyId, fromDay, toDay, names).map((r) => ({ day: r.day, calls: r.calls, responseBytes: r.bytes }));
  }

  async exportMetering(fromDay: string, toDay: string): Promise<MeteringRow[]> {
    return this.exportStmt.all(fromDay, toDay);
  }

  /** Runs `fn` (calls of this store) as one write transaction: one commit for all of them (group commit). */
  transaction(fn: () => void): void {
    this.batch.immediate(fn);
  }

  async deletePlanUsage(usagePlanId: string): Promise<void> {
    this.deletePlanStmt.run(usagePlanId);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

export function openSqliteUsageStore(dataDir: string, fileName = "usage.db"): SqliteUsageStore {
  return new SqliteUsageStore(join(dataDir, fileName));
}
