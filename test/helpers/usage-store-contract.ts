// The usage-store contract: every UsageStore implementation runs this suite (SQLite in test/unit, PostgreSQL in
// test/integration), so callers can switch implementations without changing behaviour.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { isUsageStore, type UsageStore } from "../../src/store/usage-store.js";

export interface UsageStoreImplementation {
  readonly name: string;
  /** A fresh, empty location (a directory, a database URL) and how to remove it. */
  create(): Promise<{ location: string; dispose(): Promise<void> }>;
  /** Opens a store on `location`; opening the same location again must see the same data. */
  open(location: string): Promise<UsageStore>;
}

export function usageStoreContract(impl: UsageStoreImplementation): void {
  describe(`${impl.name} (usage-store contract)`, () => {
    let space: { location: string; dispose(): Promise<void> };
    let store: UsageStore;
    before(async () => {
      space = await impl.create();
      store = await impl.open(space.location);
    });
    after(async () => {
      await store.close();
      await space.dispose();
    });
    const counter = (usagePlanId: string, keyId = "k1", periodStart = "2024-06-01") => ({ usagePlanId, keyId, periodStart });

    test("it is recognised by the services type guard", () => {
      assert.equal(isUsageStore(store), true);
      assert.equal(isUsageStore({}), false);
    });

    test("a quota admits exactly its limit, then refuses with 0 remaining", async () => {
      const results = [];
      for (let i = 0; i < 4; i++) results.push(await store.consumeQuota(counter("seq"), 3));
      assert.deepEqual(results, [
        { allowed: true, used: 1, remaining: 2 },
        { allowed: true, used: 2, remaining: 1 },
        { allowed: true, used: 3, remaining: 0 },
        { allowed: false, used: 3, remaining: 0 },
      ]);
    });

    test("exactly Q of 200 concurrent consume calls succeed", async () => {
      const Q = 37;
      const outcomes = await Promise.all(Array.from({ length: 200 }, () => store.consumeQuota(counter("race"), Q)));
      assert.equal(outcomes.filter((o) => o.allowed).length, Q);
      assert.deepEqual(await store.readQuota(counter("race"), Q), { used: Q, remaining: 0 });
      const usedSeen = outcomes.filter((o) => o.allowed).map((o) => o.used).sort((a, b) => a - b);
      assert.deepEqual(usedSeen, Array.from({ length: Q }, (_, i) => i + 1), "every admitted call saw a distinct count");
    });

    test("counters are separate per plan, key and period", async () => {
      assert.ok((await store.consumeQuota(counter("sep", "a", "2024-06-01"), 1)).allowed);
      assert.equal((await store.consumeQuota(counter("sep", "a", "2024-06-01"), 1)).allowed, false);
      assert.ok((await store.consumeQuota(counter("sep", "b", "2024-06-01"), 1)).allowed, "another key");
      assert.ok((await store.consumeQuota(counter("sep", "a", "2024-06-02"), 1)).allowed, "the next period starts afresh");
      assert.ok((await store.consumeQuota(counter("sep2", "a", "2024-06-01"), 1)).allowed, "another plan");
    });

    test("a zero limit refuses and counts nothing", async () => {
      assert.deepEqual(await store.consumeQuota(counter("zero"), 0), { allowed: false, used: 0, remaining: 0 });
      assert.deepEqual(await store.readQuota(counter("zero"), 5), { used: 0, remaining: 5 });
    });

    test("a limit lowered below what was used refuses and reports 0 remaining", async () => {
      for (let i = 0; i < 5; i++) await store.consumeQuota(counter("lowered"), 10);
      assert.deepEqual(await store.consumeQuota(counter("lowered"), 3), { allowed: false, used: 5, remaining: 0 });
      assert.ok((await store.consumeQuota(counter("lowered"), 10)).allowed, "raising it again admits");
    });

    test("setRemaining extends or shrinks the period's allowance and keeps used", async () => {
      for (let i = 0; i < 10; i++) await store.consumeQuota(counter("grant"), 10);
      assert.deepEqual(await store.setRemaining(counter("grant"), 10, 2), { used: 10, remaining: 2 });
      assert.ok((await store.consumeQuota(counter("grant"), 10)).allowed);
      assert.deepEqual(await store.consumeQuota(counter("grant"), 10), { allowed: true, used: 12, remaining: 0 });
      assert.equal((await store.consumeQuota(counter("grant"), 10)).allowed, false);
      assert.deepEqual(await store.setRemaining(counter("grant"), 10, 0), { used: 12, remaining: 0 });
      assert.deepEqual(await store.setRemaining(counter("fresh"), 100, 7), { used: 0, remaining: 7 }, "works before any call");
      for (let i = 0; i < 7; i++) assert.ok((await store.consumeQuota(counter("fresh"), 100)).allowed);
      assert.equal((await store.consumeQuota(counter("fresh"), 100)).allowed, false);
    });

    test("metering sums calls and bytes per day over the requested stages", async () => {
      const m = (apiId: string, stage: string, day: string) => ({ keyId: "mk", apiId, stage, day });
      await store.meter(m("api1", "dev", "2024-06-01"), 100);
      await store.meter(m("api1", "dev", "2024-06-01"), 50);
      await store.meter(m("api1", "prod", "2024-06-01"), 1);
      await store.meter(m("api2", "dev", "2024-06-02"), 7);
      await store.meter(m("api1", "dev", "2024-06-05"), 9);
      await store.meter({ keyId: "other", apiId: "api1", stage: "dev", day: "2024-06-01" }, 1000);
      assert.deepEqual(await store.readMetering("mk", [{ apiId: "api1", stage: "dev" }, { apiId: "api2", stage: "dev" }], "2024-06-01", "2024-06-04"), [
        { day: "2024-06-01", calls: 2, responseBytes: 150 },
        { day: "2024-06-02", calls: 1, responseBytes: 7 },
      ]);
      assert.deepEqual(await store.readMetering("mk", [], "2024-06-01", "2024-06-30"), []);
    });

    test("consumeQuota with a metering row counts the call only when admitted; meter with 0 calls adds bytes only", async () => {
      const row = { keyId: "cm", apiId: "api1", stage: "dev", day: "2024-08-01" };
      const quota = { usagePlanId: "pcm", keyId: "cm", periodStart: "2024-08-01" };
      assert.equal((await store.consumeQuota(quota, 2, row)).allowed, true);
      assert.equal((await store.consumeQuota(quota, 2, row)).allowed, true);
      assert.equal((await store.consumeQuota(quota, 2, row)).allowed, false);
      await store.meter(row, 40, 0);
      assert.deepEqual(await store.readMetering("cm", [{ apiId: "api1", stage: "dev" }], "2024-08-01", "2024-08-01"), [{ day: "2024-08-01", calls: 2, responseBytes: 40 }]);
    });

    test("exportMetering lists every row of the range, by day, key, API and stage", async () => {
      await store.meter({ keyId: "xb", apiId: "api1", stage: "dev", day: "2024-07-02" }, 5);
      await store.meter({ keyId: "xa", apiId: "api2", stage: "prod", day: "2024-07-02" }, 3);
      await store.meter({ keyId: "xa", apiId: "api2", stage: "prod", day: "2024-07-02" }, 4);
      await store.meter({ keyId: "xa", apiId: "api1", stage: "dev", day: "2024-07-01" }, 1);
      await store.meter({ keyId: "xa", apiId: "api1", stage: "dev", day: "2024-07-09" }, 1);
      assert.deepEqual(await store.exportMetering("2024-07-01", "2024-07-02"), [
        { day: "2024-07-01", keyId: "xa", apiId: "api1", stage: "dev", calls: 1, responseBytes: 1 },
        { day: "2024-07-02", keyId: "xa", apiId: "api2", stage: "prod", calls: 2, responseBytes: 7 },
        { day: "2024-07-02", keyId: "xb", apiId: "api1", stage: "dev", calls: 1, responseBytes: 5 },
      ]);
    });

    test("deletePlanUsage forgets the plan's counters only", async () => {
      await store.consumeQuota(counter("gone"), 5);
      await store.consumeQuota(counter("kept"), 5);
      await store.deletePlanUsage("gone");
      assert.deepEqual(await store.readQuota(counter("gone"), 5), { used: 0, remaining: 5 });
      assert.deepEqual(await store.readQuota(counter("kept"), 5), { used: 1, remaining: 4 });
    });

    test("counts survive closing and reopening the store", async () => {
      const fresh = await impl.create();
      try {
        const first = await impl.open(fresh.location);
        for (let i = 0; i < 3; i++) await first.consumeQuota(counter("durable"), 10);
        await first.meter({ keyId: "k1", apiId: "a", stage: "s", day: "2024-06-01" }, 5);
        await first.close();
        const second = await impl.open(fresh.location);
        assert.deepEqual(await second.readQuota(counter("durable"), 10), { used: 3, remaining: 7 });
        assert.equal((await second.readMetering("k1", [{ apiId: "a", stage: "s" }], "2024-06-01", "2024-06-01"))[0]?.calls, 1);
        await second.close();
      } finally {
        await fresh.dispose();
      }
    });
  });
}
