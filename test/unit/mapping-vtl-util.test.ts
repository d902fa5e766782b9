import { test } from "node:test";
import assert from "node:assert/strict";
import {
  base64Decode,
  base64Encode,
  escapeJavaScript,
  parseJson,
  urlDecode,
  urlEncode,
  VtlUtilError,
  vtlUtil,
} from "../../src/dataplane/mapping/vtl-util.js";

test("escapeJavaScript follows Apache Commons: quotes, backslash and slash are escaped", () => {
  assert.equal(escapeJavaScript(`He said "it's" a\\b/c`), `He said \\"it\\'s\\" a\\\\b\\/c`);
});

test("escapeJavaScript uses short escapes for common control characters and \\u00XX for the others", () => {
  assert.equal(escapeJavaScript("a\nb\tc\rd\be\ff"), "a\\nb\\tc\\rd\\be\\ff");
  assert.equal(escapeJavaScript("\u0000\u0001\u001f"), "\\u0000\\u0001\\u001F");
});

test("escapeJavaScript escapes every non-ASCII UTF-16 unit with upper-case hex", () => {
  assert.equal(escapeJavaScript("é"), "\\u00E9");
  assert.equal(escapeJavaScript("\u0100"), "\\u0100");
  assert.equal(escapeJavaScript("€"), "\\u20AC");
  assert.equal(escapeJavaScript("\u007f"), "\u007f");
  assert.equal(escapeJavaScript("😀"), "\\uD83D\\uDE00");
  assert.equal(escapeJavaScript(""), "");
});

test("urlEncode is form encoding: x=a+b becomes x%3Da%2Bb and a space becomes +", () => {
  assert.equal(urlEncode("x=a+b"), "x%3Da%2Bb");
  assert.equal(urlEncode("a b&c"), "a+b%26c");
  assert.equal(urlEncode("*-._~!'()"), "*-._%7E%21%27%28%29");
  assert.equal(urlEncode("é/€"), "%C3%A9%2F%E2%82%AC");
  assert.equal(urlEncode("\ud800"), "%3F");
});

test("urlDecode reverses form encoding, turning + into a space", () => {
  assert.equal(urlDecode("x%3Da%2Bb"), "x=a+b");
  assert.equal(urlDecode("a+b%20c"), "a b c");
  assert.equal(urlDecode("%C3%A9t%C3%A9"), "été");
  assert.equal(urlDecode("déjà+vu"), "déjà vu");
});

test("urlDecode rejects a malformed escape", () => {
  assert.throws(() => urlDecode("100%"), VtlUtilError);
  assert.throws(() => urlDecode("%zz"), VtlUtilError);
});

test("base64Encode encodes UTF-8 bytes and base64Decode reverses it", () => {
  assert.equal(base64Encode("hello é"), "aGVsbG8gw6k=");
  assert.equal(base64Decode("aGVsbG8gw6k="), "hello é");
});

test("parseJson parses JSON and rejects anything else", () => {
  assert.deepEqual(parseJson('{"a":[1,{"b":null}]}'), { a: [1, { b: null }] });
  assert.throws(() => parseJson("{a:1}"), VtlUtilError);
});

test("the $util object passes null through and ignores unknown functions", () => {
  assert.equal(vtlUtil.vtlInvoke("escapeJavaScript", [null]), null);
  assert.equal(vtlUtil.vtlInvoke("urlEncode", [42]), "42");
  assert.equal(vtlUtil.vtlInvoke("toString", ["x"]), undefined);
  assert.ok(Object.isFrozen(vtlUtil));
});
