import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  firstAcceptType,
  matchesBinaryMediaTypes,
  mediaTypeOf,
  selectRequestTemplateKey,
  selectResponseTemplateKey,
} from "../../src/dataplane/mapping/media-types.js";

describe("mediaTypeOf", () => {
  test("drops parameters and normalises case and spacing", () => {
    assert.equal(mediaTypeOf("application/json; charset=utf-8"), "application/json");
    assert.equal(mediaTypeOf("  Text/Plain ;charset=x"), "text/plain");
    assert.equal(mediaTypeOf("image/png"), "image/png");
  });

  test("is undefined for a missing or empty header", () => {
    assert.equal(mediaTypeOf(undefined), undefined);
    assert.equal(mediaTypeOf(""), undefined);
    assert.equal(mediaTypeOf(" ; charset=utf-8"), undefined);
  });
});

describe("firstAcceptType", () => {
  test("only the first media type of the list counts, whatever its q-value", () => {
    assert.equal(firstAcceptType("image/webp,image/png"), "image/webp");
    assert.equal(firstAcceptType("text/html;q=0.1, application/json"), "text/html");
    assert.equal(firstAcceptType("*/*"), "*/*");
    assert.equal(firstAcceptType(undefined), undefined);
    assert.equal(firstAcceptType(""), undefined);
  });
});

describe("matchesBinaryMediaTypes", () => {
  test("an exact entry matches, case-insensitively and ignoring parameters", () => {
    assert.equal(matchesBinaryMediaTypes(["image/png"], "image/png"), true);
    assert.equal(matchesBinaryMediaTypes(["Image/PNG"], "image/png; q=1"), true);
    assert.equal(matchesBinaryMediaTypes(["image/png"], "image/jpeg"), false);
  });

  test("an entry type/* matches every subtype of that type", () => {
    assert.equal(matchesBinaryMediaTypes(["image/*"], "image/webp"), true);
    assert.equal(matchesBinaryMediaTypes(["image/*"], "application/octet-stream"), false);
    assert.equal(matchesBinaryMediaTypes(["application/*"], "application/*"), true);
  });

  test("the entry */* matches every media type", () => {
    assert.equal(matchesBinaryMediaTypes(["*/*"], "text/plain"), true);
    assert.equal(matchesBinaryMediaTypes(["*/*"], "application/json"), true);
  });

  test("left wildcards never match and a wildcard value does not match a concrete entry", () => {
    assert.equal(matchesBinaryMediaTypes(["*/png"], "image/png"), false);
    assert.equal(matchesBinaryMediaTypes(["image/png"], "*/*"), false);
    assert.equal(matchesBinaryMediaTypes(["image/png"], "image/*"), false);
  });

  test("no media type or an empty list never matches", () => {
    assert.equal(matchesBinaryMediaTypes(["*/*"], undefined), false);
    assert.equal(matchesBinaryMediaTypes([], "image/png"), false);
  });
});

describe("selectRequestTemplateKey", () => {
  const templates = { "application/json": "j", "text/plain": "t" };

  test("the Content-Type media type selects the template, ignoring parameters", () => {
    assert.equal(selectRequestTemplateKey(templates, "text/plain; charset=utf-8"), "text/plain");
    assert.equal(selectRequestTemplateKey(templates, "Application/JSON"), "application/json");
  });

  test("a missing Content-Type means application/json", () => {
    assert.equal(selectRequestTemplateKey(templates, undefined), "application/json");
    assert.equal(selectRequestTemplateKey({ "text/plain": "t" }, undefined), undefined);
  });

  test("an unmatched type falls back to $default, else nothing", () => {
    assert.equal(selectRequestTemplateKey(templates, "application/xml"), undefined);
    assert.equal(selectRequestTemplateKey({ ...templates, $default: "d" }, "application/xml"), "$default");
    assert.equal(selectRequestTemplateKey({}, "application/json"), undefined);
  });
});

describe("selectResponseTemplateKey", () => {
  const templates = { "application/xml": "x", "application/json": "j" };

  test("the first Accept type selects its template", () => {
    assert.equal(selectResponseTemplateKey(templates, "application/xml"), "application/xml");
    assert.equal(selectResponseTemplateKey(templates, "application/xml;q=0.1, application/json"), "application/xml");
  });

  test("otherwise application/json, otherwise the first template defined", () => {
    assert.equal(selectResponseTemplateKey(templates, "text/html"), "application/json");
    assert.equal(selectResponseTemplateKey(templates, undefined), "application/json");
    assert.equal(selectResponseTemplateKey(templates, "text/html, application/xml"), "application/json");
    assert.equal(selectResponseTemplateKey({ "text/html": "h", "text/csv": "c" }, "*/*"), "text/html");
  });

  test("no templates means no key (the body passes through)", () => {
    assert.equal(selectResponseTemplateKey({}, "application/json"), undefined);
  });
});
