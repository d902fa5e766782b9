// PostgreSQL implementation of the usage store, for several Tollgate nodes sharing quota counters and metering.
// Each call is one autocommitted statement. The quota upsert takes the counter row's lock and re-checks its WHERE
// against the latest committed version (INSERT … ON CONFLICT DO UPDATE under READ COMMITTED), so concurrent
// consumers on any number of nodes admit exactly `limit` requests — the same contract as the SQLite statement.
import pg from "pg";
import type { Logger } from "pino";
import type { ApiStageRef, ConsumeResult, DailyMetering, MeterKey, MeteringRow, QuotaCounterKey, QuotaState, UsageStore } from "./usage-store.js";

/** Advisory lock serialising schema creation when several nodes start together. */
const SCHEMA_LOCK = 747_101;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS usage_quota (
    plan_id      TEXT   NOT NULL,
    key_id       TEXT   NOT NULL,
    period_start TEXT   NOT NULL,
    used         BIGINT NOT NULL,
    granted      BIGINT NOT NULL,
    PRIMARY KEY (plan_id, key_id, period_start)
  );
  CREATE TABLE IF NOT EXISTS usage_metering (
    key_id         TEXT   NOT NULL,
    day            TEXT   NOT NULL,
    api_id         TEXT   NOT NULL,
    stage          TEXT   NOT NULL,
    calls          BIGINT NOT NULL,
    response_bytes BIGINT NOT NULL,
    PRIMARY KEY (key_id, day, api_id, stage)
  );
`;

// Same decision as the SQLite statement: insert at 1 (0 when the limit admits nothing), else increment while
// used < limit + granted; no row back means refused.
const CONSUME = `
  INSERT INTO usage_quota AS q (plan_id, key_id, period_start, used, granted)
  VALUES ($1, $2, $3, CASE WHEN $4::bigint > 0 THEN 1 ELSE 0 END, 0)
  ON CONFLICT (plan_id, key_id, period_start) DO UPDATE SET used = q.used + 1 WHERE q.used < $4::bigint + q.granted
  RETURNING used, granted`;
const READ = "SELECT used, granted FROM usage_quota WHERE plan_id = $1 AND key_id = $2 AND period_start = $3";
const SET_REMAINING = `
  INSERT INTO usage_quota AS q (plan_id, key_id, period_start, used, granted)
  VALUES ($1, $2, $3, 0, $5::bigint - $4::bigint)
  ON CONFLICT (plan_id, key_id, period_start) DO UPDATE SET granted = $5::bigint + q.used - $4::bigint
  RETURNING used, granted`;
const METER = `
  INSERT INTO usage_metering AS m (key_id, day, api_id, stage, calls, response_bytes) VALUES ($1, $2, $3, $4, $6, $5)
  ON CONFLICT (key_id, day, api_id, stage) DO UPDATE SET calls = m.calls + excluded.calls, response_bytes = m.response_bytes + excluded.response_bytes`;
/** CONSUME, plus one call on the metering row when admitted, in one statement (so in one transaction). */
const CONSUME_AND_METER = `
  WITH q AS (
    INSERT INTO usage_quota AS q (plan_id, key_id, period_start, used, granted)
    VALUES ($1, $2, $3, CASE WHEN $4::bigint > 0 THEN 1 ELSE 0 END, 0)
    ON CONFLICT (plan_id, key_id, period_start) DO UPDATE SET used = q.used + 1 WHERE q.used < $4::bigint + q.granted
    RETURNING used, granted
  ), metered AS (
    INSERT INTO usage_metering AS m (key_id, day, api_id, stage, calls, response_bytes)
    SELECT $5, $6, $7, $8, 1, 0 FROM q WHERE q.used > 0
    ON CONFLICT (key_id, day, api_id, stage) DO UPDATE SET calls = m.calls + 1
  )
  SELECT used, granted FROM q`;
const READ_METERING = `
  SELECT day, sum(calls) AS calls, sum(response_bytes) AS bytes FROM usage_metering
  WHERE key_id = $1 AND day BETWEEN $2 AND $3 AND api_id || '/' || stage = ANY($4::text[])
  GROUP BY day ORDER BY day`;

const EXPORT_METERING = `
  SELECT day, key_id, api_id, stage, calls, response_bytes FROM usage_metering
  WHERE day BETWEEN $1 AND $2 ORDER BY day, key_id, api_id, stage`;

/** BIGINT columns and sums arrive as strings from node-postgres. */
interface CounterRow {
  used: string;
  granted: string;
}

function stateOf(row: CounterRow | undefined, limit: number): QuotaState {
  const used = Number(row?.used ?? 0);
  const granted = Number(row?.granted ?? 0);
  return { used, remaining: Math.max(0, limit + granted - used) };
}

export class PostgresUsageStore implements UsageStore {
  private constructor(private readonly pool: pg.Pool) {}

  static async open(url: string, logger?: Logger): Promise<PostgresUsageStore> {
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    pool.on("error", (err) => logger?.warn({ err }, "idle PostgreSQL usage-store connection failed"));
    try {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query("SELECT pg_advisory_xact_lock($1)", [SCHEMA_LOCK]);
        await client.query(SCHEMA);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresUsageStore(pool);
  }

  async consumeQuota(key: QuotaCounterKey, limit: number, meter?: MeterKey): Promise<ConsumeResult> {
    const { rows } = await this.pool.query<CounterRow>(
      meter
        ? {
            name: "usage_consume_meter",
            text: CONSUME_AND_METER,
            values: [key.usagePlanId, key.keyId, key.periodStart, limit, meter.keyId, meter.day, meter.apiId, meter.stage],
          }
        : { name: "usage_consume", text: CONSUME, values: [key.usagePlanId, key.keyId, key.periodStart, limit] },
    );
    const row = rows[0];
    if (row !== undefined) return { allowed: Number(row.used) > 0, ...stateOf(row, limit) };
    return { allowed: false, ...(await this.readQuota(key, limit)) };
  }

  async readQuota(key: QuotaCounterKey, limit: number): Promise<QuotaState> {
    const { rows } = await this.pool.query<CounterRow>({ name: "usage_read", text: READ, values: [key.usagePlanId, key.keyId, key.periodStart] });
    return stateOf(rows[0], limit);
  }

  async setRemaining(key: QuotaCounterKey, limit: number, remaining: number): Promise<QuotaState> {
    const { rows } = await this.pool.query<CounterRow>({
      name: "usage_set_remaining",
      text: SET_REMAINING,
      values: [key.usagePlanId, key.keyId, key.periodStart, limit, remaining],
    });
    return stateOf(rows[0], limit);
  }

  async meter(key: MeterKey, responseBytes: number, calls = 1): Promise<void> {
    await this.pool.query({ name: "usage_meter", text: METER, values: [key.keyId, key.day, key.apiId, key.stage, responseBytes, calls] });
  }

  async readMetering(keyId: string, stages: readonly ApiStageRef[], fromDay: string, toDay: string): Promise<DailyMetering[]> {
    if (stages.length === 0) return [];
    const names = stages.map((s) => `${s.apiId}/${s.stage}`);
    const { rows } = await this.pool.query<{ day: string; calls: string; bytes: string }>(READ_METERING, [keyId, fromDay, toDay, names]);
    return rows.map((r) => ({ day: r.day, calls: Number(r.calls), responseBytes: Number(r.bytes) }));
  }

  async exportMetering(fromDay: string, toDay: string): Promise<MeteringRow[]> {
    const { rows } = await this.pool.query<{ day: string; key_id: string; api_id: string; stage: string; calls: string; response_bytes: string }>(
      EXPORT_METERING,
      [fromDay, toDay],
    );
    return rows.map((r) => ({ day: r.day, keyId: r.key_id, apiId: r.api_id, stage: r.stage, calls: Number(r.calls), responseBytes: Number(r.response_bytes) }));
  }

  async deletePlanUsage(usagePlanId: string): Promise<void> {
    await this.pool.query("DELETE FROM usage_quota WHERE plan_id = $1", [usagePlanId]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
