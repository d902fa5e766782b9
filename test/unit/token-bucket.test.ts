import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { TokenBucket } from "../../src/limits/token-bucket.js";
import { LocalLimiter, planMethodScope, planScope, stageMethodScope, type ThrottleCheck } from "../../src/limits/local-limiter.js";

describe("TokenBucket", () => {
  test("a new bucket is full: burstLimit requests pass at once, the next is refused", () => {
    const b = new TokenBucket(5, 1, 0);
    for (let i = 0; i < 5; i++) assert.equal(b.take(0), true, `request ${i + 1}`);
    assert.equal(b.take(0), false);
  });

  test("tokens refill at rateLimit per second, as a float", () => {
    const b = new TokenBucket(2, 2.5, 0);
    assert.ok(b.take(0) && b.take(0));
    assert.equal(b.take(300), false, "0.75 tokens after 300 ms");
    assert.equal(b.take(400), true, "1.0 token after 400 ms");
    assert.equal(b.take(400), false);
    assert.equal(b.take(10_000), true);
    assert.equal(b.available(10_000), 1, "refill is capped at the burst limit");
  });

  test("msUntilToken says when the next token arrives", () => {
    const b = new TokenBucket(1, 4, 0);
    assert.equal(b.msUntilToken(0), 0);
    b.take(0);
    assert.equal(b.msUntilToken(0), 250);
    assert.equal(b.msUntilToken(100), 150);
    assert.equal(new TokenBucket(1, 0, 0).take(0), true);
    const stopped = new TokenBucket(1, 0, 0);
    stopped.take(0);
    assert.equal(stopped.msUntilToken(1e9), Infinity, "a zero rate never refills");
  });

  test("a zero burst limit refuses everything", () => {
    const b = new TokenBucket(0, 1000, 0);
    assert.equal(b.take(0), false);
    assert.equal(b.take(60_000), false);
  });

  test("a clock stepping backwards neither refills nor drains", () => {
    const b = new TokenBucket(1, 1, 10_000);
    assert.equal(b.take(10_000), true);
    assert.equal(b.take(5_000), false);
    assert.equal(b.take(5_999), false);
    assert.equal(b.take(6_000), true, "refill resumes from the new reference point");
  });

  test("reconfigure keeps the tokens but caps them at the new capacity", () => {
    const b = new TokenBucket(10, 1, 0);
    b.reconfigure({ burstLimit: 3, rateLimit: 1 }, 0);
    assert.equal(b.available(0), 3);
    b.reconfigure({ burstLimit: 10, rateLimit: 1 }, 0);
    assert.equal(b.available(0), 3, "raising the burst does not mint tokens");
  });
});

describe("LocalLimiter", () => {
  const rule = (burstLimit: number, rateLimit: number) => ({ burstLimit, rateLimit });

  test("each stage method has its own bucket: */* is a default, not a shared bucket", () => {
    const limiter = new LocalLimiter();
    const check = (path: string): ThrottleCheck[] => [{ level: "stage-method", scope: stageMethodScope("api", "dev", path, "GET"), rule: rule(2, 1) }];
    assert.ok(limiter.admit(check("/pets"), 0).allowed);
    assert.ok(limiter.admit(check("/pets"), 0).allowed);
    assert.equal(limiter.admit(check("/pets"), 0).allowed, false);
    assert.ok(limiter.admit(check("/owners"), 0).allowed, "another method still has its tokens");
  });

  test("a refusal names the exhausted level and takes no token from the others", () => {
    const limiter = new LocalLimiter();
    const checks: ThrottleCheck[] = [
      { level: "plan-method", scope: planMethodScope("p", "k", "api", "dev", "/pets", "GET"), rule: rule(5, 1) },
      { level: "stage-method", scope: stageMethodScope("api", "dev", "/pets", "GET"), rule: rule(1, 1) },
      { level: "account", scope: "account", rule: rule(100, 100) },
    ];
    assert.deepEqual(limiter.admit(checks, 0), { allowed: true });
    const refused = limiter.admit(checks, 0);
    assert.equal(refused.allowed, false);
    assert.equal(refused.allowed === false && refused.level, "stage-method");
    assert.equal(refused.allowed === false && refused.retryAfterMs, 1000);
    // The plan-method bucket spent one token (the admitted request), not two.
    const planOnly: ThrottleCheck[] = [checks[0]!];
    for (let i = 0; i < 4; i++) assert.ok(limiter.admit(planOnly, 0).allowed, `plan token ${i + 2}`);
    assert.equal(limiter.admit(planOnly, 0).allowed, false);
  });

  test("plan buckets are per API key", () => {
    const limiter = new LocalLimiter();
    const check = (key: string): ThrottleCheck[] => [{ level: "plan", scope: planScope("p", key), rule: rule(1, 1) }];
    assert.ok(limiter.admit(check("k1"), 0).allowed);
    assert.equal(limiter.admit(check("k1"), 0).allowed, false);
    assert.ok(limiter.admit(check("k2"), 0).allowed);
  });

  test("changed limits apply to an existing bucket", () => {
    const limiter = new LocalLimiter();
    const scope = planScope("p", "k");
    for (let i = 0; i < 3; i++) assert.ok(limiter.admit([{ level: "plan", scope, rule: rule(10, 1) }], 0).allowed);
    // 7 tokens left, new capacity 2: at most 2 more.
    assert.ok(limiter.admit([{ level: "plan", scope, rule: rule(2, 1) }], 0).allowed);
    assert.ok(limiter.admit([{ level: "plan", scope, rule: rule(2, 1) }], 0).allowed);
    assert.equal(limiter.admit([{ level: "plan", scope, rule: rule(2, 1) }], 0).allowed, false);
  });

  test("idle buckets that refilled are swept, busy ones are kept", () => {
    const limiter = new LocalLimiter({ sweepEvery: 1_000_000 });
    limiter.admit([{ level: "plan", scope: "a", rule: rule(10, 1) }], 0);
    limiter.admit([{ level: "plan", scope: "b", rule: rule(10, 0.001) }], 0);
    assert.equal(limiter.size, 2);
    limiter.sweep(2_000);
    assert.equal(limiter.size, 1, "a refilled in 1 s, b needs 1000 s");
  });
});
