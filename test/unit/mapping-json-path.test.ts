import { test } from "node:test";
import assert from "node:assert/strict";
import { normaliseJsonPath, queryJsonPath } from "../../src/dataplane/mapping/json-path.js";

const doc = {
  store: { book: [{ title: "A", price: 8 }, { title: "B", price: 12 }], "odd key": 1, "a-b": 2 },
  empty: [],
  nothing: null,
};

test("a definite path yields its single value", () => {
  assert.deepEqual(queryJsonPath(doc, "$.store.book[1].title"), { found: true, value: "B" });
  assert.deepEqual(queryJsonPath(doc, "$['store']['odd key']"), { found: true, value: 1 });
  assert.deepEqual(queryJsonPath(doc, "$.store.a-b"), { found: true, value: 2 });
  assert.deepEqual(queryJsonPath(doc, "$.nothing"), { found: true, value: null });
  assert.deepEqual(queryJsonPath(doc, "$"), { found: true, value: doc });
});

test("a negative index counts from the end and length() gives a list's size", () => {
  assert.deepEqual(queryJsonPath(doc, "$.store.book[-1].title"), { found: true, value: "B" });
  assert.deepEqual(queryJsonPath(doc, "$.store.book.length()"), { found: true, value: 2 });
});

test("a definite path that does not exist yields nothing, without reaching JavaScript properties", () => {
  assert.deepEqual(queryJsonPath(doc, "$.store.missing"), { found: false });
  assert.deepEqual(queryJsonPath(doc, "$.store.book[5]"), { found: false });
  assert.deepEqual(queryJsonPath(doc, "$.store.book.length"), { found: false });
  assert.deepEqual(queryJsonPath(doc, "$.store.constructor"), { found: false });
  assert.deepEqual(queryJsonPath("text", "$.a"), { found: false });
});

test("an indefinite path always yields a list", () => {
  assert.deepEqual(queryJsonPath(doc, "$.store.book[*].title"), { found: true, value: ["A", "B"] });
  assert.deepEqual(queryJsonPath(doc, "$..price"), { found: true, value: [8, 12] });
  assert.deepEqual(queryJsonPath(doc, "$.store.book[?(@.price < 10)].title"), { found: true, value: ["A"] });
  assert.deepEqual(queryJsonPath(doc, "$.empty[*]"), { found: true, value: [] });
});

test("a path without the leading $ is read as starting at the root", () => {
  assert.equal(normaliseJsonPath("store.book"), "$.store.book");
  assert.equal(normaliseJsonPath("['store']"), "$['store']");
  assert.deepEqual(queryJsonPath(doc, "store.book[0].price"), { found: true, value: 8 });
});
