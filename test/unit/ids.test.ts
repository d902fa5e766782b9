import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  epochSeconds,
  newApiKeyId,
  newApiKeyValue,
  newExtendedRequestId,
  newRequestId,
  newRestApiId,
  newRootResourceId,
  newShortId,
  randomString,
} from "../../src/util/ids.js";

const LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";

function distinct(make: () => string, n: number): number {
  return new Set(Array.from({ length: n }, make)).size;
}

describe("identifiers", () => {
  test("every id has AWS's length and alphabet", () => {
    for (let i = 0; i < 200; i++) {
      assert.match(newRestApiId(), /^[a-z0-9]{10}$/);
      assert.match(newRootResourceId(), /^[a-z0-9]{10}$/);
      assert.match(newApiKeyId(), /^[a-z0-9]{10}$/);
      assert.match(newShortId(), /^[a-z0-9]{6}$/);
      assert.match(newApiKeyValue(), /^[A-Za-z0-9]{40}$/);
      assert.match(newRequestId(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.match(newExtendedRequestId(), /^[A-Za-z0-9+/]{15}=$/);
    }
  });

  test("ids do not repeat", () => {
    assert.equal(distinct(newShortId, 2000), 2000);
    assert.equal(distinct(newRestApiId, 2000), 2000);
    assert.equal(distinct(newApiKeyValue, 500), 500);
  });

  test("randomString honours any length and alphabet", () => {
    assert.equal(randomString(0), "");
    assert.match(randomString(1000, "ab"), /^[ab]{1000}$/);
    assert.equal(randomString(64, "x"), "x".repeat(64));
  });

  test("characters are uniform over the alphabet (chi-square, 36 symbols)", () => {
    // 36 does not divide 256: without rejection sampling the first 4 symbols would be ~14% more likely.
    const counts = new Map<string, number>([...LOWER].map((c) => [c, 0]));
    const sample = randomString(72_000);
    for (const c of sample) counts.set(c, counts.get(c)! + 1);
    const expected = sample.length / LOWER.length;
    const chi2 = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 35 degrees of freedom: the 99.99th percentile is about 75; biased sampling would score in the hundreds.
    assert.ok(chi2 < 75, `chi-square ${chi2.toFixed(1)} is too high for a uniform distribution`);
    const firstFour = [..."abcd"].reduce((s, c) => s + counts.get(c)!, 0) / 4;
    const lastFour = [..."6789"].reduce((s, c) => s + counts.get(c)!, 0) / 4;
    assert.ok(Math.abs(firstFour / lastFour - 1) < 0.09, `symbols a-d appear ${(firstFour / lastFour).toFixed(3)}x as often as 6-9`);
  });

  test("epochSeconds is the current time in whole seconds", () => {
    const before = Math.floor(Date.now() / 1000);
    const now = epochSeconds();
    const after = Math.floor(Date.now() / 1000);
    assert.ok(Number.isInteger(now));
    assert.ok(now >= before && now <= after);
  });
});
