import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../../src/errors/api-error.js";
import {
  escapePathSegment,
  invalidPatchPath,
  invalidPatchPathFor,
  patchBool,
  patchInt,
  patchNumber,
  readPatchOperations,
  replaceOnly,
  requireValue,
  splitPatchPath,
  unsupportedOpFor,
} from "../../src/admin/patch.js";

/** Runs fn and returns the ApiError it throws as [type, status, message]. */
function thrown(fn: () => unknown): [string, number, string] {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return [err.kind.type, err.kind.status, err.message];
  }
  assert.fail("expected an ApiError");
}

const ENUM = "[add, remove, move, test, replace, copy]";

describe("readPatchOperations", () => {
  test("reads ops in order, keeping value and from only when they are strings", () => {
    const ops = readPatchOperations(
      {
        patchOperations: [
          { op: "replace", path: "/name", value: "x" },
          { op: "copy", from: "/canarySettings/deploymentId", path: "/deploymentId" },
          { op: "remove", path: "/description", value: null },
        ],
      },
      "updateStageInput",
    );
    assert.deepEqual(ops, [
      { op: "replace", path: "/name", value: "x" },
      { op: "copy", path: "/deploymentId", from: "/canarySettings/deploymentId" },
      { op: "remove", path: "/description" },
    ]);
  });

  test("an absent list is no operations; a missing path reads as an empty path", () => {
    assert.deepEqual(readPatchOperations({}, "updateRestApiInput"), []);
    assert.deepEqual(readPatchOperations({ patchOperations: [{ op: "replace" }] }, "updateRestApiInput"), [{ op: "replace", path: "" }]);
  });

  test("every op outside the enum is one 1-based clause of a single ValidationException", () => {
    const [type, status, message] = thrown(() =>
      readPatchOperations(
        {
          patchOperations: [
            { op: "replace", path: "/a", value: "1" },
            { op: "wrong-op", path: "/b" },
            { path: "/c" },
            { op: "REPLACE", path: "/d" },
          ],
        },
        "updateGatewayResponseInput",
      ),
    );
    assert.equal(type, "ValidationException");
    assert.equal(status, 400);
    assert.equal(
      message,
      "3 validation errors detected: " +
        `Value 'wrong-op' at 'updateGatewayResponseInput.patchOperations.2.member.op' failed to satisfy constraint: Member must satisfy enum value set: ${ENUM}; ` +
        `Value 'null' at 'updateGatewayResponseInput.patchOperations.3.member.op' failed to satisfy constraint: Member must satisfy enum value set: ${ENUM}; ` +
        `Value 'REPLACE' at 'updateGatewayResponseInput.patchOperations.4.member.op' failed to satisfy constraint: Member must satisfy enum value set: ${ENUM}`,
    );
  });

  test("a single bad op is '1 validation error detected'", () => {
    const [, , message] = thrown(() => readPatchOperations({ patchOperations: [{ op: "wrong-op", path: "/x" }] }, "updateRestApiInput"));
    assert.equal(
      message,
      `1 validation error detected: Value 'wrong-op' at 'updateRestApiInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: ${ENUM}`,
    );
  });

  test("wrong JSON types are SerializationExceptions", () => {
    assert.deepEqual(thrown(() => readPatchOperations({ patchOperations: { op: "replace" } }, "x")), [
      "SerializationException",
      400,
      "class java.util.LinkedHashMap can not be converted to an List",
    ]);
    assert.deepEqual(thrown(() => readPatchOperations({ patchOperations: [{ op: "replace", path: "/a", value: true }] }, "x")), [
      "SerializationException",
      400,
      "class java.lang.Boolean can not be converted to an String",
    ]);
    assert.deepEqual(thrown(() => readPatchOperations({ patchOperations: [{ op: "replace", path: "/a", value: 100 }] }, "x")), [
      "SerializationException",
      400,
      "class java.lang.Integer can not be converted to an String",
    ]);
  });
});

describe("patch paths", () => {
  test("splitPatchPath unescapes ~1 to / and ~0 to ~ inside each segment", () => {
    assert.deepEqual(splitPatchPath("/requestTemplates/application~1json"), ["requestTemplates", "application/json"]);
    assert.deepEqual(splitPatchPath("/~1pets~1{petId}/GET/caching/enabled"), ["/pets/{petId}", "GET", "caching", "enabled"]);
    assert.deepEqual(splitPatchPath("/~1/GET/logging/loglevel"), ["/", "GET", "logging", "loglevel"]);
    // ~01 is an escaped "~" followed by "1", not a slash (RFC 6901 order: ~1 first, then ~0).
    assert.deepEqual(splitPatchPath("/a~01b"), ["a~1b"]);
    assert.deepEqual(splitPatchPath("/a~0~1b"), ["a~/b"]);
    assert.deepEqual(splitPatchPath("/*/*/throttling/rateLimit"), ["*", "*", "throttling", "rateLimit"]);
    assert.deepEqual(splitPatchPath("name"), ["name"]);
  });

  test("escapePathSegment is the inverse of the unescaping", () => {
    for (const s of ["application/json", "a~b", "~1", "/pets/{petId}", "plain"]) {
      assert.deepEqual(splitPatchPath("/" + escapePathSegment(s)), [s]);
    }
    assert.equal(escapePathSegment("a~/b"), "a~0~1b");
  });

  test("the three families of bad-path messages and the replace-only message", () => {
    assert.deepEqual(thrown(() => { throw invalidPatchPath("/httpMethod"); }), ["BadRequestException", 400, "Invalid patch path /httpMethod"]);
    assert.equal(thrown(() => { throw invalidPatchPath(undefined); })[2], "Invalid patch path null");
    assert.equal(
      thrown(() => { throw invalidPatchPathFor({ op: "replace", path: "/x" }, ["/name", "/description"]); })[2],
      "Invalid patch path  '/x' specified for op 'replace'. Must be one of: [/name, /description]",
    );
    assert.equal(
      thrown(() => { throw unsupportedOpFor({ op: "add", path: "/name" }); })[2],
      "Invalid patch path  '/name' specified for op 'add'. Please choose supported operations",
    );
    assert.equal(thrown(() => { throw replaceOnly(); })[2], "Invalid patch operation specified. Must be one of: [replace]");
  });
});

describe("patch values", () => {
  test("requireValue refuses a missing value", () => {
    assert.equal(requireValue({ op: "replace", path: "/a", value: "" }), "");
    assert.equal(thrown(() => requireValue({ op: "replace", path: "/a" }))[2], "Invalid null or empty value in /a");
  });

  test("booleans, integers and numbers arrive as strings and are converted", () => {
    assert.equal(patchBool({ op: "replace", path: "/b", value: "TRUE" }), true);
    assert.equal(patchBool({ op: "replace", path: "/b", value: "false" }), false);
    assert.equal(thrown(() => patchBool({ op: "replace", path: "/b", value: "yes" }))[2], "Invalid boolean value yes for /b");
    assert.equal(patchInt({ op: "replace", path: "/i", value: "100" }), 100);
    assert.equal(patchInt({ op: "replace", path: "/i", value: "-5" }), -5);
    assert.equal(thrown(() => patchInt({ op: "replace", path: "/i", value: "1.5" }))[2], "Invalid integer value 1.5 for /i");
    assert.equal(patchNumber({ op: "replace", path: "/n", value: "10.5" }), 10.5);
    assert.equal(thrown(() => patchNumber({ op: "replace", path: "/n", value: "abc" }))[2], "Invalid number value abc for /n");
    assert.equal(thrown(() => patchNumber({ op: "replace", path: "/n", value: " " }))[2], "Invalid number value   for /n");
  });
});
