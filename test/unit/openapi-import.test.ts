// The OpenAPI translation on its own (no server): format detection, `$ref` handling, base paths from OpenAPI 3
// servers, ANY methods and the export of an imported definition.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiError } from "../../src/errors/api-error.js";
import { defaultModels } from "../../src/domain/default-models.js";
import { exportOpenApi } from "../../src/domain/openapi/export-openapi.js";
import { importOpenApi, type ImportOptions } from "../../src/domain/openapi/import-openapi.js";
import { readOpenApiDocument, resolveLocalRef } from "../../src/domain/openapi/openapi-document.js";
import { resourcePath, type RestApiDoc } from "../../src/domain/rest-api.js";

function emptyApi(): RestApiDoc {
  return {
    id: "abcdefghij",
    name: "",
    createdDate: 1_718_000_000,
    binaryMediaTypes: [],
    apiKeySource: "HEADER",
    endpointConfiguration: { types: ["EDGE"], ipAddressType: "ipv4" },
    tags: {},
    disableExecuteApiEndpoint: false,
    rootResourceId: "rootrootro",
    resources: { rootrootro: { id: "rootrootro", methods: {} } },
    models: defaultModels(),
    authorizers: {},
    requestValidators: {},
    gatewayResponses: {},
    documentationParts: {},
    documentationVersions: {},
    seq: 0,
  };
}

let counter = 0;
const options = (overrides: Partial<ImportOptions> = {}): ImportOptions => ({
  mode: "create",
  basepath: "ignore",
  ignoreDocumentation: false,
  failOnWarnings: false,
  newId: () => `id${String(++counter).padStart(4, "0")}`,
  ...overrides,
});

const rejectsWith = (message: RegExp) => (err: unknown): boolean => err instanceof ApiError && err.kind.type === "BadRequestException" && message.test(err.message);

describe("OpenAPI documents", () => {
  test("JSON, YAML and a byte-order mark are all read; other documents are 'Invalid OpenAPI input.'", () => {
    assert.equal(readOpenApiDocument(Buffer.from('{"swagger":"2.0","info":{"title":"x"}}')).version, "swagger2");
    assert.equal(readOpenApiDocument(Buffer.from("openapi: 3.0.1\ninfo:\n  title: y\n")).version, "oas3");
    assert.equal(readOpenApiDocument(Buffer.from('\uFEFF{"openapi":"3.0.3"}')).version, "oas3");
    for (const bad of ["not an api", "[1,2]", '{"openapi":"2.0"}', "{ unbalanced: [", ""]) {
      assert.throws(() => readOpenApiDocument(Buffer.from(bad)), rejectsWith(/^Invalid OpenAPI input\.$/), bad);
    }
  });

  test("local references are followed, including chains, and a cycle stops", () => {
    const root = { a: { $ref: "#/b" }, b: { $ref: "#/c~1d" }, "c/d": { value: 1 }, loop: { $ref: "#/loop" } };
    assert.deepEqual(resolveLocalRef(root, root.a), { value: 1 });
    assert.deepEqual(resolveLocalRef(root, root.loop), { $ref: "#/loop" });
  });
});

describe("importOpenApi", () => {
  test("path-level and referenced parameters apply to every operation; the OAS3 server path is prepended", () => {
    const api = emptyApi();
    const doc = readOpenApiDocument(
      Buffer.from(
        JSON.stringify({
          openapi: "3.0.1",
          info: { title: "params" },
          servers: [{ url: "https://example.com/{base}", variables: { base: { default: "v2" } } }],
          paths: {
            "/things/{id}": {
              parameters: [{ $ref: "#/components/parameters/Id" }],
              "x-amazon-apigateway-any-method": { parameters: [{ name: "X-Trace", in: "header", required: true }], responses: {} },
            },
          },
          components: { parameters: { Id: { name: "id", in: "path", required: true, schema: { type: "string" } } } },
        }),
      ),
    );
    const warnings = importOpenApi(api, doc, options({ basepath: "prepend" }));
    assert.deepEqual(warnings, []);
    assert.equal(api.name, "params");
    const leaf = Object.values(api.resources).find((r) => r.pathPart === "{id}")!;
    assert.equal(resourcePath(api, leaf.id), "/v2/things/{id}");
    assert.deepEqual(leaf.methods.ANY!.requestParameters, { "method.request.path.id": true, "method.request.header.X-Trace": true });
  });

  test("a document without a title cannot create an API; a sibling variable path part is an error", () => {
    const noTitle = readOpenApiDocument(Buffer.from('{"openapi":"3.0.1","info":{},"paths":{}}'));
    assert.throws(() => importOpenApi(emptyApi(), noTitle, options()), rejectsWith(/^Errors found during import:\n\tInvalid or missing title/));
    const siblings = readOpenApiDocument(
      Buffer.from(JSON.stringify({ swagger: "2.0", info: { title: "s" }, paths: { "/a/{x}": { get: { responses: {} } }, "/a/{y}": { get: { responses: {} } } } })),
    );
    assert.throws(() => importOpenApi(emptyApi(), siblings, options()), rejectsWith(/already has a variable path part/));
  });

  test("an imported definition exports back with the same paths, verbs and integration responses", () => {
    const api = emptyApi();
    const doc = readOpenApiDocument(
      Buffer.from(
        JSON.stringify({
          swagger: "2.0",
          info: { title: "back", version: "7" },
          paths: {
            "/": { "x-amazon-apigateway-any-method": { responses: { "200": { description: "200 response" } }, "x-amazon-apigateway-integration": { type: "mock", responses: { default: { statusCode: "200" }, "5\\d{2}": { statusCode: "200" } } } } },
          },
        }),
      ),
    );
    importOpenApi(api, doc, options());
    const responses = Object.values(api.resources.rootrootro!.methods.ANY!.integration!.integrationResponses);
    assert.equal(responses.length, 1, "integration responses are keyed by status code: the later pattern wins");
    const exported = exportOpenApi(api, { type: "swagger", stageName: "prod", region: "eu-west-1", extensions: new Set(["integrations"]) });
    assert.equal(exported["basePath"], "/prod");
    assert.deepEqual((exported["info"] as { version: string }).version, "7");
    const root = (exported["paths"] as Record<string, Record<string, Record<string, unknown>>>)["/"]!;
    assert.deepEqual(Object.keys(root), ["x-amazon-apigateway-any-method"]);
    const integration = root["x-amazon-apigateway-any-method"]!["x-amazon-apigateway-integration"] as { type: string; responses: Record<string, unknown> };
    assert.equal(integration.type, "mock");
    assert.deepEqual(integration.responses, { "5\\d{2}": { statusCode: "200" } });
  });
});
