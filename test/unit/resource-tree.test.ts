import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { RestApiDoc } from "../../src/domain/rest-api.js";
import {
  checkNotCyclic,
  checkPlacement,
  deleteSubtree,
  findResource,
  isGreedyPathPart,
  isValidPathPart,
  isVariablePathPart,
  resourcesByPath,
} from "../../src/domain/resource-tree.js";

/** `/`, `/a`, `/a/{id}`, `/b` */
function tree(): RestApiDoc {
  const resources = {
    root000000: { id: "root000000", methods: {} },
    aaaaaa: { id: "aaaaaa", parentId: "root000000", pathPart: "a", methods: {} },
    idid00: { id: "idid00", parentId: "aaaaaa", pathPart: "{id}", methods: {} },
    bbbbbb: { id: "bbbbbb", parentId: "root000000", pathPart: "b", methods: {} },
  };
  return { resources } as unknown as RestApiDoc;
}

describe("resource tree rules", () => {
  test("path parts: literals, one variable or a greedy variable", () => {
    for (const ok of ["pets", "a.b_c-d", "{id}", "{proxy+}", "V2"]) assert.ok(isValidPathPart(ok), ok);
    for (const bad of ["", "a b", "a/b", "{id", "id}", "{a}{b}", "{+}", "{a+b}", "é"]) assert.ok(!isValidPathPart(bad), bad);
    assert.ok(isVariablePathPart("{id}") && isVariablePathPart("{proxy+}") && !isVariablePathPart("id"));
    assert.ok(isGreedyPathPart("{proxy+}") && !isGreedyPathPart("{id}"));
  });

  test("placement checks name clashes, the single variable sibling and greedy parents, ignoring the resource itself", () => {
    const api = tree();
    assert.throws(() => checkPlacement(api, "root000000", "a"), /Another resource with the same parent already has this name: a/);
    assert.doesNotThrow(() => checkPlacement(api, "root000000", "a", "aaaaaa"));
    assert.throws(() => checkPlacement(api, "aaaaaa", "{other}"), /A sibling \(\{id\}\) of this resource/);
    assert.doesNotThrow(() => checkPlacement(api, "aaaaaa", "{renamed}", "idid00"));
    api.resources["idid00"]!.pathPart = "{proxy+}";
    assert.throws(() => checkPlacement(api, "idid00", "x"), /greedy path variable: \{proxy\+\}/);
  });

  test("a resource cannot move under itself or a descendant", () => {
    const api = tree();
    assert.throws(() => checkNotCyclic(api, "aaaaaa", "idid00"), /Resources cannot be cyclical\./);
    assert.throws(() => checkNotCyclic(api, "aaaaaa", "aaaaaa"), /Resources cannot be cyclical\./);
    assert.doesNotThrow(() => checkNotCyclic(api, "idid00", "bbbbbb"));
  });

  test("listing is in path order with / first; deleting takes the subtree; lookups ignore prototype names", () => {
    const api = tree();
    assert.deepEqual(resourcesByPath(api).map((r) => r.path), ["/", "/a", "/a/{id}", "/b"]);
    deleteSubtree(api, "aaaaaa");
    assert.deepEqual(Object.keys(api.resources).sort(), ["bbbbbb", "root000000"]);
    assert.equal(findResource(api, "constructor"), undefined);
    assert.equal(findResource(api, "bbbbbb")?.pathPart, "b");
  });
});
