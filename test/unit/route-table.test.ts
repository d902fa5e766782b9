import { test } from "node:test";
import assert from "node:assert/strict";
import { RouteTable, type RouteSpec } from "../../src/admin/route-table.js";

const handler: RouteSpec["handler"] = async () => ({ status: 200 });

function table(): RouteTable {
  const t = new RouteTable();
  t.add([
    { operation: "CreateRestApi", method: "POST", path: "/restapis", handler },
    { operation: "ImportRestApi", method: "POST", path: "/restapis", query: { mode: "import" }, handler },
    { operation: "GetTags", method: "GET", path: "/tags/{resource_arn}", handler },
    { operation: "CreateResource", method: "POST", path: "/restapis/{restapi_id}/resources/{parent_id}", handler },
  ]);
  return t;
}

test("a percent-encoded slash inside a label stays inside that label", () => {
  const m = table().match("GET", "/tags/arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Frestapis%2Fabc%2Fstages%2Fdev", new URLSearchParams());
  assert.equal(m?.spec.operation, "GetTags");
  assert.equal(m?.params["resource_arn"], "arn:aws:apigateway:us-east-1::/restapis/abc/stages/dev");
});

test("a static query in the template selects the import operation, its absence the create operation", () => {
  assert.equal(table().match("POST", "/restapis", new URLSearchParams("failonwarnings=true&mode=import"))?.spec.operation, "ImportRestApi");
  assert.equal(table().match("POST", "/restapis", new URLSearchParams())?.spec.operation, "CreateRestApi");
});

test("labels are captured by position and the method must match", () => {
  const m = table().match("POST", "/restapis/a1/resources/p2", new URLSearchParams());
  assert.deepEqual(m?.params, { restapi_id: "a1", parent_id: "p2" });
  assert.equal(table().match("GET", "/restapis/a1/resources/p2", new URLSearchParams()), undefined);
});

test("a malformed percent escape matches nothing instead of throwing", () => {
  assert.equal(table().match("GET", "/tags/%E0%A4%A", new URLSearchParams()), undefined);
});
