import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dailyUsage } from "../../src/domain/usage-report.js";
import type { QuotaSettings, UsagePlanDoc } from "../../src/domain/usage.js";
import { periodKey } from "../../src/limits/quota-period.js";
import { openSqliteUsageStore, type SqliteUsageStore } from "../../src/store/sqlite-usage-store.js";

describe("GetUsage's daily [used, remaining] report", () => {
  let dir: string;
  let store: SqliteUsageStore;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "tollgate-report-"));
    store = openSqliteUsageStore(dir);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plan = (id: string, quota?: QuotaSettings, quotaSince?: string): UsagePlanDoc => ({
    id,
    name: id,
    apiStages: [{ apiId: "api1", stage: "dev" }],
    ...(quota ? { quota } : {}),
    ...(quotaSince ? { quotaSince: Date.parse(quotaSince) / 1000 } : {}),
    tags: {},
    keyIds: [id],
  });

  // Each test's plan has its own key (named like the plan): metering is per key, not per plan.
  /** What the data plane does per admitted request: count against the quota, then meter the call. */
  async function call(p: UsagePlanDoc, day: string, times: number, stage = "dev"): Promise<void> {
    for (let i = 0; i < times; i++) {
      if (p.quota) await store.consumeQuota({ usagePlanId: p.id, keyId: p.id, periodStart: periodKey(p.quota.period, Date.parse(day)) }, p.quota.limit);
      await store.meter({ keyId: p.id, apiId: "api1", stage, day }, 10);
    }
  }

  test("a DAY quota starts afresh every day", async () => {
    const p = plan("daily", { limit: 10, offset: 0, period: "DAY" });
    await call(p, "2024-06-01", 3);
    await call(p, "2024-06-03", 2);
    assert.deepEqual(await dailyUsage(store, p, p.id, "2024-06-01", "2024-06-03"), [
      [3, 7],
      [0, 10],
      [2, 8],
    ]);
  });

  test("a MONTH quota's remaining counts the calls since the 1st, even before startDate", async () => {
    const p = plan("monthly", { limit: 100, offset: 0, period: "MONTH" });
    await call(p, "2024-06-01", 5);
    await call(p, "2024-06-02", 3);
    await call(p, "2024-07-01", 1);
    assert.deepEqual(await dailyUsage(store, p, p.id, "2024-06-02", "2024-06-03"), [
      [3, 92],
      [0, 92],
    ]);
    assert.deepEqual(await dailyUsage(store, p, p.id, "2024-06-30", "2024-07-01"), [
      [0, 92],
      [1, 99],
    ]);
  });

  test("an UpdateUsage extension shows in remaining", async () => {
    const p = plan("extended", { limit: 10, offset: 0, period: "WEEK" });
    await call(p, "2024-06-03", 4);
    await store.setRemaining({ usagePlanId: p.id, keyId: p.id, periodStart: "2024-06-02" }, 10, 50);
    assert.deepEqual(await dailyUsage(store, p, p.id, "2024-06-03", "2024-06-03"), [[4, 50]]);
  });

  test("offset lowers the initial period only", async () => {
    const p = plan("offset", { limit: 100, offset: 10, period: "MONTH" }, "2024-06-15T10:00:00Z");
    assert.deepEqual(await dailyUsage(store, p, p.id, "2024-06-30", "2024-07-01"), [
      [0, 90],
      [0, 100],
    ]);
  });

  test("only calls on the plan's API stages count, and a plan without quota reports 0 remaining", async () => {
    const p = plan("noquota");
    await call(p, "2024-05-01", 2);
    await call(p, "2024-05-01", 5, "prod");
    assert.deepEqual(await dailyUsage(store, p, p.id, "2024-05-01", "2024-05-02"), [
      [2, 0],
      [0, 0],
    ]);
  });
});
