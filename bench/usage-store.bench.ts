// Per-call cost of the usage store's hot operations (consumeQuota, meter) against an in-process reference
// measured in the same run: a Map-based counter doing the same logical work without durability.
// Run: npx tsc -p . && node dist/bench/usage-store.bench.js
// With TOLLGATE_BENCH_PG_URL=postgres://… it also measures PostgresUsageStore (sequential round trips).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresUsageStore } from "../src/store/postgres-usage-store.js";
import { openSqliteUsageStore } from "../src/store/sqlite-usage-store.js";

const N = 50_000;

async function time(label: string, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 2_000; i++) await fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await fn(i);
  const us = Number(process.hrtime.bigint() - start) / 1000 / N;
  console.log(`${label.padEnd(46)} ${us.toFixed(2)} µs/call`);
  return us;
}

const dir = mkdtempSync(join(tmpdir(), "tollgate-bench-"));
const store = openSqliteUsageStore(dir);
try {
  const counts = new Map<string, number>();
  const reference = await time("reference: in-memory Map counter (async)", async (i) => {
    const key = `p/k${i % 100}/2024-06-01`;
    const used = counts.get(key) ?? 0;
    if (used < 1e9) counts.set(key, used + 1);
  });
  const consume = await time("SqliteUsageStore.consumeQuota (100 keys)", (i) =>
    store.consumeQuota({ usagePlanId: "p", keyId: `k${i % 100}`, periodStart: "2024-06-01" }, 1e9),
  );
  const refused = await time("SqliteUsageStore.consumeQuota (over quota)", () =>
    store.consumeQuota({ usagePlanId: "p", keyId: "full", periodStart: "2024-06-01" }, 0),
  );
  const meter = await time("SqliteUsageStore.meter (100 keys)", (i) =>
    store.meter({ keyId: `k${i % 100}`, apiId: "a1b2c3d4e5", stage: "dev", day: "2024-06-01" }, 512),
  );
  console.log(`ratios vs reference: consume ${(consume / reference).toFixed(0)}x, refused ${(refused / reference).toFixed(0)}x, meter ${(meter / reference).toFixed(0)}x`);
  const pgUrl = process.env["TOLLGATE_BENCH_PG_URL"];
  if (pgUrl) {
    const pgStore = await PostgresUsageStore.open(pgUrl);
    try {
      const pgConsume = await time("PostgresUsageStore.consumeQuota (100 keys)", (i) =>
        pgStore.consumeQuota({ usagePlanId: `bench-${process.pid}`, keyId: `k${i % 100}`, periodStart: "2024-06-01" }, 1e9),
      );
      console.log(`ratio vs reference: PostgreSQL consume ${(pgConsume / reference).toFixed(0)}x`);
      await pgStore.deletePlanUsage(`bench-${process.pid}`);
    } finally {
      await pgStore.close();
    }
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
