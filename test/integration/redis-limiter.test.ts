import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { RedisLimiter } from "../../src/limits/redis-limiter.js";
import type { ThrottleCheck } from "../../src/limits/local-limiter.js";

const REDIS_URL = process.env["TOLLGATE_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379/11";
const check = (scope: string, burstLimit: number, rateLimit = 0.001, level: ThrottleCheck["level"] = "plan"): ThrottleCheck => ({
  level,
  scope,
  rule: { burstLimit, rateLimit },
});

describe("Redis limiter", () => {
  const prefix = `tollgate-test-${randomBytes(4).toString("hex")}`;
  const a = new RedisLimiter({ url: REDIS_URL, prefix });
  const b = new RedisLimiter({ url: REDIS_URL, prefix });
  after(async () => {
    await a.close();
    await b.close();
  });

  test("a bucket admits exactly its burst, then refuses with the exhausted level", async () => {
    for (let i = 0; i < 5; i++) assert.deepEqual(await a.admit([check("burst5", 5)], Date.now()), { allowed: true });
    const refused = await a.admit([check("burst5", 5)], Date.now());
    assert.equal(refused.allowed, false);
    assert.equal(!refused.allowed && refused.level, "plan");
  });

  test("two limiters sharing Redis admit exactly the burst under 200 concurrent requests", async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).admit([check("shared50", 50)], Date.now())));
    assert.equal(results.filter((r) => r.allowed).length, 50);
  });

  test("a request refused at one level takes no token at the others", async () => {
    await a.admit([check("tight", 1, 0.001, "stage-method")], Date.now());
    const refused = await a.admit([check("loose", 3, 0.001, "plan"), check("tight", 1, 0.001, "stage-method")], Date.now());
    assert.equal(!refused.allowed && refused.level, "stage-method");
    for (let i = 0; i < 3; i++) assert.equal((await a.admit([check("loose", 3)], Date.now())).allowed, true);
  });

  test("requests of one event-loop turn are decided together, in order, each as if alone", async () => {
    const both = [check("batch-loose", 2, 0.001, "plan"), check("batch-tight", 1, 0.001, "stage-method")];
    const loose = [check("batch-loose", 2, 0.001, "plan")];
    // Issued in one turn, so one script call decides all four.
    const decisions = await Promise.all([a.admit(both, Date.now()), a.admit(both, Date.now()), a.admit(loose, Date.now()), a.admit(loose, Date.now())]);
    assert.deepEqual(
      decisions.map((d) => (d.allowed ? "allowed" : d.level)),
      // The second is refused at the tight bucket and takes no token from the loose one, so the third still gets one.
      ["allowed", "stage-method", "allowed", "plan"],
    );
  });

  test("tokens refill at the configured rate", async () => {
    assert.equal((await a.admit([check("refill", 1, 20)], Date.now())).allowed, true);
    assert.equal((await a.admit([check("refill", 1, 20)], Date.now())).allowed, false);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal((await a.admit([check("refill", 1, 20)], Date.now())).allowed, true);
  });

  test("with Redis down the 'local' policy throttles in process and the 'closed' policy refuses", async () => {
    const local = new RedisLimiter({ url: "redis://127.0.0.1:1/0", prefix, onOutage: "local" });
    const closed = new RedisLimiter({ url: "redis://127.0.0.1:1/0", prefix, onOutage: "closed" });
    try {
      assert.equal((await local.admit([check("down", 1)], Date.now())).allowed, true);
      assert.equal((await local.admit([check("down", 1)], Date.now())).allowed, false);
      assert.equal((await closed.admit([check("down", 1)], Date.now())).allowed, false);
      assert.ok(local.outageDecisions >= 2 && closed.outageDecisions >= 1);
    } finally {
      await local.close();
      await closed.close();
    }
  });
});
