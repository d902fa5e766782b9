import { test } from "node:test";
import assert from "node:assert/strict";
import { copyData, isTruthy, javaList, printValue, vtlEquals } from "../../src/dataplane/mapping/vtl-values.js";

test("null and missing values print as empty text at the top level but as null inside a map", () => {
  assert.equal(printValue(null), "");
  assert.equal(printValue(undefined), "");
  assert.equal(printValue({ a: null }), "{a=null}");
});

test("maps print Java-style, JSON lists as JSON, template-built lists Java-style", () => {
  assert.equal(printValue({ foo: "bar", to: "test" }), "{foo=bar, to=test}");
  assert.equal(printValue([{ foo: "bar" }, "x", 1]), '[{"foo":"bar"},"x",1]');
  assert.equal(printValue({ foo: [{ nested: "bar" }] }), '{foo=[{"nested":"bar"}]}');
  assert.equal(printValue(javaList(["a", { b: 1 }, null])), "[a, {b=1}, null]");
  assert.equal(printValue({}), "{}");
});

test("scalars print as Java prints them", () => {
  assert.equal(printValue("text"), "text");
  assert.equal(printValue(42), "42");
  assert.equal(printValue(false), "false");
});

test("equality treats a missing value as empty text and compares mixed types by their text", () => {
  assert.equal(vtlEquals(undefined, ""), true);
  assert.equal(vtlEquals(null, undefined), true);
  assert.equal(vtlEquals(undefined, "x"), false);
  assert.equal(vtlEquals("1", 1), true);
  assert.equal(vtlEquals(0, ""), false);
  assert.equal(vtlEquals(false, "false"), true);
  assert.equal(vtlEquals({ a: 1 }, { a: 1 }), true);
  assert.equal(vtlEquals(2, 2.0), true);
});

test("only false and null are false", () => {
  assert.deepEqual([false, null, undefined, "", 0, "false", [], {}].map(isTruthy), [false, false, false, true, true, true, true, true]);
});

test("copyData copies nested maps and lists so the copy can be changed freely", () => {
  const original = { a: { b: [1, { c: 2 }] } };
  const copy = copyData(original) as { a: { b: [number, { c: number }] } };
  copy.a.b[1].c = 3;
  assert.notEqual(copy.a.b[1], original.a.b[1]);
  assert.deepEqual(original, { a: { b: [1, { c: 2 }] } });
});
