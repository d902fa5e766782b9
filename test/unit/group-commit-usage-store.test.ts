// Group commit over the SQLite usage store: the usage-store contract still holds, writes of one event-loop turn
// share one transaction, counts stay exact, reads see queued writes, and a failed commit fails every call of it.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GroupCommitUsageStore, type TransactionalUsageStore } from "../../src/store/group-commit-usage-store.js";
import type { MeterKey } from "../../src/store/usage-store.js";
import { openSqliteUsageStore, SqliteUsageStore } from "../../src/store/sqlite-usage-store.js";
import { usageStoreContract } from "../helpers/usage-store-contract.js";

usageStoreContract({
  name: "GroupCommitUsageStore over SqliteUsageStore",
  async create() {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-usage-gc-"));
    return { location: dir, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  open: async (dir) => new GroupCommitUsageStore(openSqliteUsageStore(dir)),
});

/** Counts transactions; can be told to fail the next one. */
class SpyStore extends SqliteUsageStore implements TransactionalUsageStore {
  transactions = 0;
  meterWrites = 0;
  failNext = false;
  override meterNow(key: MeterKey, responseBytes: number, calls: number): void {
    this.meterWrites++;
    super.meterNow(key, responseBytes, calls);
  }
  override transaction(fn: () => void): void {
    this.transactions++;
    if (this.failNext) {
      this.failNext = false;
      super.transaction(() => {
        fn();
        throw new Error("disk full");
      });
      return;
    }
    super.transaction(fn);
  }
}

function withStore(run: (spy: SpyStore, store: GroupCommitUsageStore, dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-usage-gc-"));
    const spy = new SpyStore(join(dir, "usage.db"));
    const store = new GroupCommitUsageStore(spy);
    try {
      await run(spy, store, dir);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

const counter = { usagePlanId: "p", keyId: "k", periodStart: "2026-11-01" };

describe("GroupCommitUsageStore", () => {
  test(
    "300 concurrent consumes against a limit of 120 admit exactly 120, in one transaction",
    withStore(async (spy, store) => {
      const results = await Promise.all(Array.from({ length: 300 }, () => store.consumeQuota(counter, 120)));
      assert.equal(results.filter((r) => r.allowed).length, 120);
      assert.equal(spy.transactions, 1);
      assert.deepEqual(await store.readQuota(counter, 120), { used: 120, remaining: 0 });
    }),
  );

  test(
    "a batch writes each metering row once, summing its calls and bytes; only admitted consumes count a call",
    withStore(async (spy, store) => {
      const day = { keyId: "k", apiId: "a", stage: "s", day: "2026-11-25" };
      const other = { ...day, stage: "t" };
      const decisions = await Promise.all([
        ...Array.from({ length: 5 }, () => store.consumeQuota(counter, 3, day)),
        store.meter(day, 100, 0),
        store.meter(day, 20, 0),
        store.meter(other, 7),
      ]);
      assert.deepEqual(
        decisions.slice(0, 5),
        [
          { allowed: true, used: 1, remaining: 2 },
          { allowed: true, used: 2, remaining: 1 },
          { allowed: true, used: 3, remaining: 0 },
          { allowed: false, used: 3, remaining: 0 },
          { allowed: false, used: 3, remaining: 0 },
        ],
        "each call sees the counter as if the batch had run one call at a time",
      );
      assert.equal(spy.transactions, 1);
      assert.equal(spy.meterWrites, 2, "one upsert per metering row");
      assert.deepEqual(await store.exportMetering("2026-11-01", "2026-11-30"), [
        { day: "2026-11-25", keyId: "k", apiId: "a", stage: "s", calls: 3, responseBytes: 120 },
        { day: "2026-11-25", keyId: "k", apiId: "a", stage: "t", calls: 1, responseBytes: 7 },
      ]);
    }),
  );

  test(
    "metering alone waits a few milliseconds and then rides with the next quota decisions' transaction",
    withStore(async (spy, store) => {
      const day = { keyId: "k", apiId: "a", stage: "s", day: "2026-11-25" };
      const metered = store.meter(day, 10, 0);
      await new Promise((r) => setImmediate(r));
      assert.equal(spy.transactions, 0, "no transaction of its own at the end of the turn");
      await Promise.all([metered, store.consumeQuota(counter, 5, day)]);
      assert.equal(spy.transactions, 1, "written together with the consume");
      await store.meter(day, 5, 0);
      assert.equal(spy.transactions, 2, "alone, it is written after the delay");
      assert.deepEqual(await store.exportMetering("2026-11-25", "2026-11-25"), [
        { day: "2026-11-25", keyId: "k", apiId: "a", stage: "s", calls: 1, responseBytes: 15 },
      ]);
    }),
  );

  test(
    "reads see writes still queued in the current turn",
    withStore(async (_spy, store) => {
      void store.meter({ keyId: "k", apiId: "a", stage: "s", day: "2026-11-25" }, 10);
      void store.meter({ keyId: "k", apiId: "a", stage: "s", day: "2026-11-25" }, 15);
      assert.deepEqual(await store.readMetering("k", [{ apiId: "a", stage: "s" }], "2026-11-25", "2026-11-25"), [{ day: "2026-11-25", calls: 2, responseBytes: 25 }]);
      assert.deepEqual(await store.exportMetering("2026-11-01", "2026-11-30"), [{ day: "2026-11-25", keyId: "k", apiId: "a", stage: "s", calls: 2, responseBytes: 25 }]);
    }),
  );

  test(
    "when the transaction fails, every call of the batch fails and nothing of it is counted",
    withStore(async (spy, store) => {
      spy.failNext = true;
      const outcomes = await Promise.allSettled([store.consumeQuota(counter, 5), store.consumeQuota(counter, 5)]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ["rejected", "rejected"],
      );
      assert.deepEqual(await store.readQuota(counter, 5), { used: 0, remaining: 5 });
      assert.equal((await store.consumeQuota(counter, 5)).allowed, true, "the next batch works");
    }),
  );
});
