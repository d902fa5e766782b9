import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compileRouter, splitResourcePath, type ResourceInput } from "../../src/dataplane/routing/router.js";

/** Builds a router from `path → verbs`; each method's value is `VERB path` so assertions read naturally. */
function routerOf(spec: Record<string, string[]>) {
  const ids = new Map<string, string>([["/", "root"]]);
  const inputs: ResourceInput<string>[] = [];
  const paths = Object.keys(spec).sort((a, b) => a.split("/").length - b.split("/").length);
  const ensure = (path: string): string => {
    const known = ids.get(path);
    if (known) return known;
    const slash = path.lastIndexOf("/");
    const parentId = ensure(slash === 0 ? "/" : path.slice(0, slash));
    const id = `r${ids.size}`;
    ids.set(path, id);
    inputs.push({ id, parentId, pathPart: path.slice(slash + 1), methods: new Map((spec[path] ?? []).map((v) => [v, `${v} ${path}`])) });
    return id;
  };
  for (const p of paths) if (p !== "/") ensure(p);
  inputs.push({ id: "root", methods: new Map((spec["/"] ?? []).map((v) => [v, `${v} /`])) });
  return compileRouter(inputs, "root");
}

describe("router", () => {
  const router = routerOf({
    "/": ["GET"],
    "/pets": ["GET"],
    "/pets/{petId}": ["GET", "DELETE"],
    "/pets/{petId}/toys": ["GET"],
    "/pets/mine": ["GET"],
    "/files/{proxy+}": ["ANY"],
    "/{proxy+}": ["ANY"],
    "/only-head": ["HEAD"],
    "/only-get": ["GET"],
  });
  const match = (verb: string, path: string) => router.match(verb, path);

  test("the stage root routes to the root resource, with or without a trailing slash", () => {
    assert.equal(match("GET", "")?.method, "GET /");
    assert.equal(match("GET", "/")?.method, "GET /");
  });

  test("a literal segment wins over a parameter at the same level", () => {
    assert.equal(match("GET", "/pets/mine")?.method, "GET /pets/mine");
    const m = match("GET", "/pets/123");
    assert.equal(m?.method, "GET /pets/{petId}");
    assert.deepEqual(m?.pathParams, { petId: "123" });
  });

  test("parameters capture one segment, greedy parameters the rest including slashes", () => {
    assert.deepEqual(match("GET", "/pets/7/toys")?.pathParams, { petId: "7" });
    const greedy = match("PUT", "/files/a/b/c.txt");
    assert.equal(greedy?.method, "ANY /files/{proxy+}");
    assert.deepEqual(greedy?.pathParams, { proxy: "a/b/c.txt" });
  });

  test("a failing literal branch backtracks to the greedy sibling", () => {
    // /pets/1/unknown has no resource under {petId}; the root greedy resource catches it.
    const m = match("GET", "/pets/1/unknown");
    assert.equal(m?.method, "ANY /{proxy+}");
    assert.deepEqual(m?.pathParams, { proxy: "pets/1/unknown" });
  });

  test("a resource without the verb falls back to a generic resource's ANY", () => {
    assert.equal(match("POST", "/pets")?.method, "ANY /{proxy+}");
  });

  test("without a generic fallback, a missing verb is no match (no 405)", () => {
    const plain = routerOf({ "/pets": ["GET"] });
    assert.equal(plain.match("POST", "/pets"), undefined);
    assert.equal(plain.match("GET", "/dogs"), undefined);
  });

  test("ANY covers the seven verbs; HEAD is not served by GET", () => {
    const plain = routerOf({ "/a": ["ANY"], "/g": ["GET"] });
    for (const verb of ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]) assert.equal(plain.match(verb, "/a")?.method, "ANY /a");
    assert.equal(plain.match("HEAD", "/g"), undefined);
    assert.equal(plain.match("TRACE", "/a"), undefined);
    assert.equal(match("HEAD", "/only-head")?.method, "HEAD /only-head");
  });

  test("an exact verb wins over ANY on the same resource", () => {
    const plain = routerOf({ "/a": ["ANY", "GET"] });
    assert.equal(plain.match("GET", "/a")?.method, "GET /a");
    assert.equal(plain.match("POST", "/a")?.method, "ANY /a");
  });

  test("matching is case-sensitive", () => {
    const plain = routerOf({ "/pets": ["GET"] });
    assert.equal(plain.match("GET", "/Pets"), undefined);
  });

  test("one trailing slash is ignored and leading duplicate slashes collapse", () => {
    assert.equal(match("GET", "/pets/")?.method, "GET /pets");
    assert.equal(match("GET", "//pets")?.method, "GET /pets");
    assert.equal(match("GET", "///pets/mine/")?.method, "GET /pets/mine");
  });

  test("interior empty segments are kept: {param} does not match them, greedy keeps them", () => {
    const plain = routerOf({ "/a/{id}/b": ["GET"], "/{proxy+}": ["GET"] });
    const m = plain.match("GET", "/a//b");
    assert.equal(m?.method, "GET /{proxy+}");
    assert.deepEqual(m?.pathParams, { proxy: "a//b" });
  });

  test("an encoded slash does not split a segment and parameters stay percent-encoded", () => {
    const m = match("GET", "/pets/a%2Fb");
    assert.equal(m?.method, "GET /pets/{petId}");
    assert.deepEqual(m?.pathParams, { petId: "a%2Fb" });
    assert.deepEqual(match("GET", "/files/test%2Balias@gmail.com")?.pathParams, { proxy: "test%2Balias@gmail.com" });
  });

  test("a greedy parameter needs at least one segment", () => {
    const plain = routerOf({ "/proxy/{proxy+}": ["ANY"] });
    assert.equal(plain.match("GET", "/proxy"), undefined);
    assert.equal(plain.match("GET", "/proxy/"), undefined);
    assert.deepEqual(plain.match("GET", "/proxy/x")?.pathParams, { proxy: "x" });
  });

  test("a greedy match keeps a trailing slash out of the value", () => {
    assert.deepEqual(match("GET", "/files/dir/")?.pathParams, { proxy: "dir" });
  });

  test("parameters of an abandoned branch do not leak into the match", () => {
    const m = match("GET", "/pets/9/toys/extra");
    assert.equal(m?.method, "ANY /{proxy+}");
    assert.deepEqual(m?.pathParams, { proxy: "pets/9/toys/extra" });
  });

  test("resources are addressable by id with their template path", () => {
    const plain = routerOf({ "/pets/{petId}": ["GET"] });
    assert.equal(plain.resource("r2")?.path, "/pets/{petId}");
    assert.equal(plain.resource("root")?.path, "/");
  });

  test("splitResourcePath follows §3.2", () => {
    assert.deepEqual(splitResourcePath(""), []);
    assert.deepEqual(splitResourcePath("/"), []);
    assert.deepEqual(splitResourcePath("/a/b/"), ["a", "b"]);
    assert.deepEqual(splitResourcePath("//a//b"), ["a", "", "b"]);
  });
});
