// Per-request cost of in-process throttling: LocalLimiter.admit with the four levels a keyed request checks,
// against a reference measured in the same run (one Map lookup per level, no bucket arithmetic).
// Run: npx tsc -p . && node dist/bench/local-limiter.bench.js
import { LocalLimiter, accountScope, planMethodScope, planScope, stageMethodScope, type ThrottleCheck } from "../src/limits/local-limiter.js";

const N = 1_000_000;
const KEYS = 1_000;
const generous = { burstLimit: 1e9, rateLimit: 1e9 };

function checksFor(i: number): ThrottleCheck[] {
  const key = `key${i % KEYS}`;
  return [
    { level: "plan-method", scope: planMethodScope("plan01", key, "a1b2c3d4e5", "dev", "/pets", "GET"), rule: generous },
    { level: "plan", scope: planScope("plan01", key), rule: generous },
    { level: "stage-method", scope: stageMethodScope("a1b2c3d4e5", "dev", "/pets", "GET"), rule: generous },
    { level: "account", scope: accountScope(), rule: generous },
  ];
}

function time(label: string, fn: (i: number) => unknown): number {
  for (let i = 0; i < 50_000; i++) fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn(i);
  const us = Number(process.hrtime.bigint() - start) / 1000 / N;
  console.log(`${label.padEnd(44)} ${us.toFixed(3)} µs/request`);
  return us;
}

const reference = new Map<string, number>();
const ref = time("reference: 4 Map lookups with key strings", (i) => {
  for (const c of checksFor(i)) reference.set(`${c.level}|${c.scope}`, (reference.get(`${c.level}|${c.scope}`) ?? 0) + 1);
});
const limiter = new LocalLimiter();
const admit = time("LocalLimiter.admit (4 levels, 1000 keys)", (i) => limiter.admit(checksFor(i), performance.now()));
console.log(`ratio vs reference: ${(admit / ref).toFixed(2)}x`);
