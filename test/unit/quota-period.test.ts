import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { periodBounds, periodKey, periodLimit, utcDay } from "../../src/limits/quota-period.js";

const at = (iso: string): number => Date.parse(iso);

describe("quota periods", () => {
  test("a DAY runs from 00:00 UTC to the next midnight", () => {
    const b = periodBounds("DAY", at("2024-06-03T23:59:59.999Z"));
    assert.equal(new Date(b.start).toISOString(), "2024-06-03T00:00:00.000Z");
    assert.equal(new Date(b.end).toISOString(), "2024-06-04T00:00:00.000Z");
  });

  test("a WEEK starts on Sunday 00:00 UTC", () => {
    // 2024-06-05 is a Wednesday; 2024-06-02 the Sunday before.
    const b = periodBounds("WEEK", at("2024-06-05T12:00:00Z"));
    assert.equal(utcDay(b.start), "2024-06-02");
    assert.equal(utcDay(b.end), "2024-06-09");
    assert.equal(periodKey("WEEK", at("2024-06-02T00:00:00Z")), "2024-06-02", "Sunday midnight opens the week");
    assert.equal(periodKey("WEEK", at("2024-06-01T23:59:59Z")), "2024-05-26", "Saturday still belongs to the previous week");
  });

  test("a MONTH starts on the 1st, across year ends and leap Februaries", () => {
    assert.deepEqual(
      [periodBounds("MONTH", at("2024-02-29T10:00:00Z")).start, periodBounds("MONTH", at("2024-02-29T10:00:00Z")).end].map(utcDay),
      ["2024-02-01", "2024-03-01"],
    );
    assert.equal(utcDay(periodBounds("MONTH", at("2024-12-31T23:00:00Z")).end), "2025-01-01");
  });

  test("offset is subtracted from the limit in the initial period only", () => {
    const quota = { limit: 100, offset: 30, period: "MONTH" as const };
    const since = at("2024-06-10T08:00:00Z");
    assert.equal(periodLimit(quota, since, at("2024-06-30T23:00:00Z")), 70);
    assert.equal(periodLimit(quota, since, at("2024-07-01T00:00:00Z")), 100);
    assert.equal(periodLimit(quota, undefined, at("2024-06-15T00:00:00Z")), 100, "unknown start: the full limit");
    assert.equal(periodLimit({ limit: 5, offset: 9, period: "DAY" }, since, since), 0, "never negative");
  });
});
