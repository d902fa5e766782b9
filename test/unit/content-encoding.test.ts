import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { negotiateCoding } from "../../src/dataplane/content-encoding.js";

describe("Accept-Encoding negotiation", () => {
  test("the highest-priority coding wins, the first listed among equals", () => {
    assert.equal(negotiateCoding("gzip, deflate"), "gzip");
    assert.equal(negotiateCoding("deflate, gzip"), "deflate");
    assert.equal(negotiateCoding("gzip;q=0.4, deflate;q=0.9"), "deflate");
    assert.equal(negotiateCoding("GZIP"), "gzip");
  });

  test("an unsupported favourite means no compression, as AWS documents; q=0 excludes", () => {
    assert.equal(negotiateCoding("br"), undefined);
    assert.equal(negotiateCoding("br, gzip;q=0.8"), undefined);
    assert.equal(negotiateCoding("gzip;q=0, deflate;q=0.1"), "deflate");
    assert.equal(negotiateCoding(undefined), undefined);
    assert.equal(negotiateCoding(""), undefined);
  });

  test("identity is supported (and means: leave it as it is); * lets the server pick gzip", () => {
    assert.equal(negotiateCoding("identity"), "identity");
    assert.equal(negotiateCoding("*"), "gzip");
  });
});
