import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  compileParameterMappings,
  MappingError,
  type MappingSources,
} from "../../src/dataplane/mapping/parameter-mapping.js";
import { compileRequestParameters } from "../../src/dataplane/integrations/request-parameters.js";
import type { CompiledMethod } from "../../src/dataplane/compiled-stage.js";
import type { RouteMatch } from "../../src/dataplane/routing/router.js";
import { fakeExchange } from "../helpers/fake-exchange.js";

function sources(overrides: Partial<MappingSources> = {}): MappingSources {
  return {
    methodRequest: {
      path: { id: "42" },
      querystring: { tag: ["a", "b", "c"], single: ["only"], Case: ["upper"] },
      header: { "X-Tenant": ["t1", "t2"], accept: ["application/json"], "x-lower": ["low"] },
      body: JSON.stringify({ petstore: { pets: [{ name: "rex", age: 3 }, { name: "tom" }] }, flag: true, obj: { a: 1 } }),
    },
    integrationResponse: {
      header: { Location: ["/a", "/b"], "x-amzn-RequestId": ["r-1"] },
      body: JSON.stringify({ id: "new-1", items: [1, 2] }),
    },
    stageVariables: { backend: "prod.example" },
    context: { requestId: "req-1", identity: { sourceIp: "203.0.113.9" }, requestTimeEpoch: 1700000000000, authorizer: { principalId: "u" } },
    ...overrides,
  };
}

function evaluate(mappings: Record<string, string>, from: MappingSources = sources()) {
  return compileParameterMappings(mappings).evaluate(from);
}

describe("method request sources", () => {
  test("path, querystring and header take a single value, the last one when repeated", () => {
    assert.deepEqual(
      evaluate({
        "integration.request.path.id": "method.request.path.id",
        "integration.request.querystring.tag": "method.request.querystring.tag",
        "integration.request.header.X-Tenant": "method.request.header.X-Tenant",
      }),
      [
        { target: "integration.request.path.id", values: ["42"] },
        { target: "integration.request.querystring.tag", values: ["c"] },
        { target: "integration.request.header.X-Tenant", values: ["t2"] },
      ],
    );
  });

  test("multivaluequerystring keeps every value and multivalueheader joins them with commas", () => {
    assert.deepEqual(
      evaluate({
        "integration.request.querystring.tags": "method.request.multivaluequerystring.tag",
        "integration.request.header.X-All": "method.request.multivalueheader.X-Tenant",
      }),
      [
        { target: "integration.request.querystring.tags", values: ["a", "b", "c"] },
        { target: "integration.request.header.X-All", values: ["t1,t2"] },
      ],
    );
  });

  test("header names match exactly first, then case-insensitively", () => {
    assert.deepEqual(evaluate({ "integration.request.header.A": "method.request.header.Accept" }), [
      { target: "integration.request.header.A", values: ["application/json"] },
    ]);
    const both = sources({ methodRequest: { path: {}, querystring: {}, header: { "x-id": ["lower"], "X-Id": ["exact"] }, body: "" } });
    assert.deepEqual(evaluate({ "integration.request.header.Y": "method.request.header.X-Id" }, both), [
      { target: "integration.request.header.Y", values: ["exact"] },
    ]);
  });

  test("query string names are case-sensitive", () => {
    assert.deepEqual(evaluate({ "integration.request.querystring.c": "method.request.querystring.case" }), []);
    assert.deepEqual(evaluate({ "integration.request.querystring.c": "method.request.querystring.Case" }), [
      { target: "integration.request.querystring.c", values: ["upper"] },
    ]);
  });

  test("the whole body and JSONPath fields of it can be mapped", () => {
    assert.deepEqual(
      evaluate({
        "integration.request.header.Name": "method.request.body.petstore.pets[0].name",
        "integration.request.header.Age": "method.request.body.petstore.pets[0].age",
        "integration.request.header.Flag": "method.request.body.flag",
        "integration.request.header.Obj": "method.request.body.obj",
        "integration.request.header.Names": "method.request.body.petstore.pets[*].name",
      }),
      [
        { target: "integration.request.header.Name", values: ["rex"] },
        { target: "integration.request.header.Age", values: ["3"] },
        { target: "integration.request.header.Flag", values: ["true"] },
        { target: "integration.request.header.Obj", values: ['{"a":1}'] },
        { target: "integration.request.header.Names", values: ['["rex","tom"]'] },
      ],
    );
    const body = sources().methodRequest!.body;
    assert.deepEqual(evaluate({ "integration.request.header.B": "method.request.body" }), [{ target: "integration.request.header.B", values: [body] }]);
  });

  test("a body JSONPath on a body that is not JSON throws MappingError", () => {
    const text = sources({ methodRequest: { path: {}, querystring: {}, header: {}, body: "plain text" } });
    assert.throws(() => evaluate({ "integration.request.header.N": "method.request.body.name" }, text), MappingError);
    assert.deepEqual(evaluate({ "integration.request.header.N": "method.request.body" }, text), [
      { target: "integration.request.header.N", values: ["plain text"] },
    ]);
  });
});

describe("other sources", () => {
  test("integration response headers and body feed method response headers", () => {
    assert.deepEqual(
      evaluate({
        "method.response.header.Location": "integration.response.header.Location",
        "method.response.header.All": "integration.response.multivalueheader.location",
        "method.response.header.X-Id": "integration.response.body.id",
        "method.response.header.X-Body": "integration.response.body",
      }),
      [
        { target: "method.response.header.Location", values: ["/b"] },
        { target: "method.response.header.All", values: ["/a,/b"] },
        { target: "method.response.header.X-Id", values: ["new-1"] },
        { target: "method.response.header.X-Body", values: ['{"id":"new-1","items":[1,2]}'] },
      ],
    );
  });

  test("stage variables, context values and literals", () => {
    assert.deepEqual(
      evaluate({
        "integration.request.header.Backend": "stageVariables.backend",
        "integration.request.header.Req": "context.requestId",
        "integration.request.header.Ip": "context.identity.sourceIp",
        "integration.request.header.Epoch": "context.requestTimeEpoch",
        "integration.request.header.Static": "'static value'",
        "integration.request.header.Empty": "''",
      }),
      [
        { target: "integration.request.header.Backend", values: ["prod.example"] },
        { target: "integration.request.header.Req", values: ["req-1"] },
        { target: "integration.request.header.Ip", values: ["203.0.113.9"] },
        { target: "integration.request.header.Epoch", values: ["1700000000000"] },
        { target: "integration.request.header.Static", values: ["static value"] },
        { target: "integration.request.header.Empty", values: [""] },
      ],
    );
  });

  test("a source that resolves to nothing produces no entry", () => {
    assert.deepEqual(
      evaluate({
        "integration.request.header.A": "method.request.header.Missing",
        "integration.request.path.b": "method.request.path.missing",
        "integration.request.querystring.c": "method.request.multivaluequerystring.missing",
        "integration.request.header.D": "stageVariables.missing",
        "integration.request.header.E": "context.identity.missing",
        "integration.request.header.F": "context.requestId.deeper",
        "integration.request.header.G": "method.request.body.petstore.pets[5].name",
        "method.response.header.H": "integration.response.header.Missing",
      }),
      [],
    );
  });

  test("sources that are absent altogether produce no entry", () => {
    const bare: MappingSources = { stageVariables: {}, context: {} };
    assert.deepEqual(
      evaluate(
        {
          "integration.request.header.A": "method.request.header.X",
          "integration.request.header.B": "method.request.body",
          "method.response.header.C": "integration.response.body.id",
        },
        bare,
      ),
      [],
    );
  });

  test("an empty body maps to nothing rather than failing", () => {
    const empty = sources({ methodRequest: { path: {}, querystring: {}, header: {}, body: "" } });
    assert.deepEqual(evaluate({ "integration.request.header.A": "method.request.body.a", "integration.request.header.B": "method.request.body" }, empty), []);
  });

  test("an integration response body that is not JSON fails a JSONPath mapping", () => {
    const html = sources({ integrationResponse: { header: {}, body: "<html>" } });
    assert.throws(() => evaluate({ "method.response.header.X": "integration.response.body.id" }, html), MappingError);
  });
});

test("an expression that is not a documented source is rejected when compiling", () => {
  assert.throws(() => compileParameterMappings({ "integration.request.header.A": "method.request.cookie.x" }), MappingError);
  assert.throws(() => compileParameterMappings({ "integration.request.header.A": "unquoted literal" }), MappingError);
  assert.throws(() => compileParameterMappings({ "integration.request.header.A": "stageVariables." }), MappingError);
});

test("a compiled mapping can be evaluated many times with different sources", () => {
  const compiled = compileParameterMappings({ "integration.request.path.id": "method.request.path.id" });
  const a = compiled.evaluate(sources());
  const b = compiled.evaluate(sources({ methodRequest: { path: { id: "7" }, querystring: {}, header: {}, body: "" } }));
  assert.deepEqual([a, b], [[{ target: "integration.request.path.id", values: ["42"] }], [{ target: "integration.request.path.id", values: ["7"] }]]);
});

describe("integration request parameters of the proxy shape (path from path only)", () => {
  // compileRequestParameters answers these without the general evaluation; the answers must be the same.
  const withRoute = (pathParams: Record<string, string>) => {
    const ex = fakeExchange();
    ex.route = { pathParams } as unknown as RouteMatch<CompiledMethod>;
    return ex;
  };
  const general = (map: Record<string, string>, pathParams: Record<string, string>) =>
    new Map(
      compileParameterMappings(map)
        .evaluate({ methodRequest: { path: pathParams, querystring: {}, header: {}, body: "" }, stageVariables: {}, context: {} })
        .map(({ target, values }) => [target.slice("integration.request.path.".length), values.at(-1)!]),
    );

  for (const [name, map, params] of [
    ["one greedy parameter", { "integration.request.path.proxy": "method.request.path.proxy" }, { proxy: "a/b%2Fc" }],
    ["renamed and fanned out", { "integration.request.path.x": "method.request.path.id", "integration.request.path.y": "method.request.path.id" }, { id: "7" }],
    ["a parameter the route did not capture", { "integration.request.path.x": "method.request.path.missing" }, { id: "7" }],
    ["an inherited name is not a parameter", { "integration.request.path.x": "method.request.path.constructor" }, {}],
  ] as const) {
    test(name, () => {
      const compiled = compileRequestParameters(map)!;
      const mapped = compiled.evaluate(withRoute(params), "");
      assert.equal(compiled.needsBody, false);
      assert.deepEqual(mapped.path, general(map, params));
      assert.equal(mapped.querystring.size, 0);
      assert.equal(mapped.header.size, 0);
    });
  }
});
