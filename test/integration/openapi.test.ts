// ImportRestApi, PutRestApi and GetExport (control-plane.md §8; sdk-conformance.md scenarios 47 and 48), including
// the export → import round trip that must rebuild resources, methods, integrations, models and validators.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { parse as parseYaml } from "yaml";
import { ACCOUNT, REGION, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { createDeployedPetsApi, sdkError } from "../helpers/fixtures.js";

const LAMBDA_URI = `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:pets/invocations`;

/** An OpenAPI 3 definition whose operations all call one Lambda function through AWS_PROXY. */
const oas3WithLambdaIntegration = {
  openapi: "3.0.1",
  info: { title: "imported-pets", version: "2024-06-01", description: "from a file" },
  paths: {
    "/pets": {
      get: {
        operationId: "listPets",
        parameters: [{ name: "limit", in: "query", required: false, schema: { type: "string" } }],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Pets" } } } } },
        "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: LAMBDA_URI, passthroughBehavior: "when_no_match" },
      },
      post: {
        requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } } },
        responses: { "201": { description: "created" } },
        "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: LAMBDA_URI },
      },
    },
    "/pets/{petId}": {
      get: {
        parameters: [{ name: "petId", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "ok" } },
        "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: LAMBDA_URI },
      },
    },
  },
  components: {
    schemas: {
      Pet: { type: "object", properties: { id: { type: "integer" }, name: { type: "string" } } },
      Pets: { type: "array", items: { $ref: "#/components/schemas/Pet" } },
    },
  },
};

const body = (doc: unknown): Uint8Array => Buffer.from(typeof doc === "string" ? doc : JSON.stringify(doc));
const decode = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString("utf8");

type Json = Record<string, unknown>;

describe("OpenAPI import and export", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  async function paths(restApiId: string): Promise<string[]> {
    const res = await t.ag.send(new AG.GetResourcesCommand({ restApiId, limit: 500 }));
    return (res.items ?? []).map((r) => r.path!).sort();
  }

  test("GetExport returns the stage's deployment as OpenAPI 3 JSON, YAML and Swagger 2.0 (scenario 47)", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const json = await t.ag.send(
      new AG.GetExportCommand({ restApiId, stageName: "dev", exportType: "oas30", accepts: "application/json", parameters: { extensions: "apigateway" } }),
    );
    assert.equal(json.$metadata.httpStatusCode, 200);
    assert.match(json.contentType!, /^application\/json/);
    assert.match(json.contentDisposition!, /^attachment; filename="oas30_.+\.json"$/);
    const doc = JSON.parse(decode(json.body)) as Json;
    assert.match(doc["openapi"] as string, /^3\.0/);
    const pets = (doc["paths"] as Record<string, Record<string, Json>>)["/pets"]!;
    const integration = pets["get"]!["x-amazon-apigateway-integration"] as Json;
    assert.equal(integration["type"], "mock");
    assert.equal(integration["passthroughBehavior"], "when_no_match");
    assert.deepEqual(integration["responses"], { default: { statusCode: "200", responseTemplates: { "application/json": '{"ok":true}' } } });
    assert.deepEqual(doc["servers"], [
      { url: `https://${restApiId}.execute-api.${REGION}.amazonaws.com/{basePath}`, variables: { basePath: { default: "dev" } } },
    ]);

    const yaml = await t.ag.send(
      new AG.GetExportCommand({ restApiId, stageName: "dev", exportType: "oas30", accepts: "application/yaml", parameters: { extensions: "apigateway" } }),
    );
    assert.match(yaml.contentType!, /^application\/yaml/);
    const yamlText = decode(yaml.body);
    assert.match(yamlText, /openapi:/);
    assert.deepEqual(parseYaml(yamlText), doc);

    const swagger = await t.ag.send(new AG.GetExportCommand({ restApiId, stageName: "dev", exportType: "swagger" }));
    const sdoc = JSON.parse(decode(swagger.body)) as Json;
    assert.equal(sdoc["swagger"], "2.0");
    assert.equal(sdoc["basePath"], "/dev");
    assert.equal(sdoc["host"], `${restApiId}.execute-api.${REGION}.amazonaws.com`);
    const plain = (sdoc["paths"] as Record<string, Record<string, Json>>)["/pets"]!["get"]!;
    assert.equal(plain["x-amazon-apigateway-integration"], undefined, "no extensions were asked for");
    assert.deepEqual(plain["responses"], { "200": { description: "200 response" } });

    await assert.rejects(
      t.ag.send(new AG.GetExportCommand({ restApiId, stageName: "nope", exportType: "oas30" })),
      sdkError(AG.NotFoundException, 404, "Invalid stage identifier specified"),
    );
  });

  test("GetExport shows the deployed snapshot, not later draft changes", async () => {
    const { restApiId, rootResourceId } = await createDeployedPetsApi(t.ag);
    const draft = await t.ag.send(new AG.CreateResourceCommand({ restApiId, parentId: rootResourceId, pathPart: "draft" }));
    await t.ag.send(new AG.PutMethodCommand({ restApiId, resourceId: draft.id!, httpMethod: "GET", authorizationType: "NONE" }));
    const exported = await t.ag.send(new AG.GetExportCommand({ restApiId, stageName: "dev", exportType: "oas30" }));
    const doc = JSON.parse(decode(exported.body)) as { paths: Json };
    assert.deepEqual(Object.keys(doc.paths), ["/pets"]);
  });

  test("ImportRestApi builds the API from an OpenAPI 3 document; PutRestApi overwrite replaces it (scenario 48)", async () => {
    const imported = await t.ag.send(new AG.ImportRestApiCommand({ body: body(oas3WithLambdaIntegration) }));
    assert.equal(imported.$metadata.httpStatusCode, 201);
    assert.equal(imported.name, "imported-pets");
    assert.equal(imported.description, "from a file");
    assert.equal(imported.version, "2024-06-01");
    assert.match(imported.id!, /^[a-z0-9]{10}$/);
    assert.deepEqual(imported.endpointConfiguration?.types, ["EDGE"]);
    const restApiId = imported.id!;

    const resources = await t.ag.send(new AG.GetResourcesCommand({ restApiId, embed: ["methods"] }));
    const byPath = new Map(resources.items!.map((r) => [r.path!, r]));
    assert.deepEqual([...byPath.keys()].sort(), ["/", "/pets", "/pets/{petId}"]);
    const list = byPath.get("/pets")!.resourceMethods!["GET"]!;
    assert.equal(list.methodIntegration?.type, "AWS_PROXY");
    assert.equal(list.methodIntegration?.httpMethod, "POST");
    assert.equal(list.methodIntegration?.uri, LAMBDA_URI);
    assert.equal(list.methodIntegration?.cacheNamespace, byPath.get("/pets")!.id);
    assert.equal(list.operationName, "listPets");
    assert.deepEqual(list.requestParameters, { "method.request.querystring.limit": false });
    assert.deepEqual(list.methodResponses?.["200"]?.responseModels, { "application/json": "Pets" });
    assert.deepEqual(byPath.get("/pets")!.resourceMethods!["POST"]!.requestModels, { "application/json": "Pet" });
    assert.deepEqual(byPath.get("/pets/{petId}")!.resourceMethods!["GET"]!.requestParameters, { "method.request.path.petId": true });

    const pets = await t.ag.send(new AG.GetModelCommand({ restApiId, modelName: "Pets" }));
    assert.deepEqual(JSON.parse(pets.schema!), {
      type: "array",
      items: { $ref: `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Pet` },
    });
    const flat = await t.ag.send(new AG.GetModelCommand({ restApiId, modelName: "Pets", flatten: true }));
    assert.equal((JSON.parse(flat.schema!) as { items: { type: string } }).items.type, "object");
    const models = await t.ag.send(new AG.GetModelsCommand({ restApiId }));
    assert.deepEqual(models.items!.map((m) => m.name).sort(), ["Empty", "Error", "Pet", "Pets"]);

    const health = {
      openapi: "3.0.1",
      info: { title: "health-only", version: "1" },
      paths: { "/health": { get: { responses: { "200": { description: "ok" } }, "x-amazon-apigateway-integration": { type: "mock", requestTemplates: { "application/json": '{"statusCode": 200}' } } } } },
    };
    const put = await t.ag.send(new AG.PutRestApiCommand({ restApiId, mode: "overwrite", body: body(health) }));
    assert.equal(put.$metadata.httpStatusCode, 200);
    assert.equal(put.id, restApiId);
    assert.equal(put.name, "health-only");
    assert.deepEqual(await paths(restApiId), ["/", "/health"]);
    const after = await t.ag.send(new AG.GetModelsCommand({ restApiId }));
    assert.deepEqual(after.items!.map((m) => m.name).sort(), ["Empty", "Error"], "overwrite drops models the document does not define");

    await assert.rejects(
      t.ag.send(new AG.ImportRestApiCommand({ body: body("not an api"), failOnWarnings: true })),
      sdkError(AG.BadRequestException, 400, "Invalid OpenAPI input."),
    );
    await assert.rejects(
      t.ag.send(new AG.ImportRestApiCommand({ body: body({ swagger: "1.2", info: { title: "old" } }) })),
      sdkError(AG.BadRequestException, 400),
    );
  });

  test("PutRestApi merges by default: new paths are added, same verbs replaced, the rest is kept", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const doc = {
      swagger: "2.0",
      info: { title: "merged", version: "1" },
      paths: {
        "/pets": { get: { responses: { "204": { description: "none" } }, "x-amazon-apigateway-integration": { type: "mock", responses: { default: { statusCode: "204" } } } } },
        "/owners/{ownerId}/pets": { get: { responses: {}, "x-amazon-apigateway-integration": { type: "http_proxy", httpMethod: "GET", uri: "https://example.com/{ownerId}" } } },
      },
    };
    const put = await t.ag.send(new AG.PutRestApiCommand({ restApiId, body: body(doc) }));
    assert.equal(put.$metadata.httpStatusCode, 200);
    assert.equal(put.name, "pets", "merge keeps the API's own name");
    assert.deepEqual(await paths(restApiId), ["/", "/owners", "/owners/{ownerId}", "/owners/{ownerId}/pets", "/pets"]);
    const resources = await t.ag.send(new AG.GetResourcesCommand({ restApiId, embed: ["methods"] }));
    const pets = resources.items!.find((r) => r.path === "/pets")!;
    const get = pets.resourceMethods!["GET"]!;
    assert.deepEqual(Object.keys(get.methodResponses ?? {}), ["204"], "the document's GET replaced the old one");
    assert.equal(get.methodIntegration?.integrationResponses?.["204"]?.selectionPattern, "");
    const stage = await t.ag.send(new AG.GetStageCommand({ restApiId, stageName: "dev" }));
    assert.ok(stage.deploymentId, "stages survive an import");
  });

  test("an import with errors is rejected as a whole and changes nothing", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const doc = {
      openapi: "3.0.1",
      info: { title: "broken", version: "1" },
      paths: {
        "/ok": { get: { responses: {}, "x-amazon-apigateway-integration": { type: "mock" } } },
        "/bad": { get: { responses: {}, "x-amazon-apigateway-integration": { type: "https_proxy", httpMethod: "GET", uri: "https://x" } } },
        "/lambda": { post: { responses: {}, "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: "pets" } } },
      },
    };
    await assert.rejects(
      t.ag.send(new AG.PutRestApiCommand({ restApiId, mode: "overwrite", body: body(doc) })),
      sdkError(
        AG.BadRequestException,
        400,
        /^Errors found during import:\n\t.*Invalid integration type specified: https_proxy\n\tUnable to put integration on 'POST \/lambda': Invalid ARN specified in the request$/,
      ),
    );
    assert.deepEqual(await paths(restApiId), ["/", "/pets"]);
    const api = await t.ag.send(new AG.GetRestApiCommand({ restApiId }));
    assert.equal(api.name, "pets");
  });

  test("warnings are reported on the API, and abort the import with failonwarnings=true", async () => {
    const yaml = [
      'swagger: "2.0"',
      "info:",
      "  title: warned",
      "  version: '1'",
      "basePath: /v1",
      "paths:",
      "  /items:",
      "    get:",
      "      responses:",
      "        default:",
      "          description: anything",
      "      x-amazon-apigateway-integration:",
      "        type: mock",
    ].join("\n");
    const imported = await t.ag.send(
      new AG.ImportRestApiCommand({ body: body(yaml), parameters: { basepath: "prepend", endpointConfigurationTypes: "REGIONAL" } }),
    );
    assert.equal(imported.name, "warned");
    assert.deepEqual(imported.endpointConfiguration?.types, ["REGIONAL"]);
    assert.equal(imported.warnings?.length, 1);
    assert.match(imported.warnings![0]!, /default/);
    assert.deepEqual(await paths(imported.id!), ["/", "/v1", "/v1/items"], "basepath=prepend puts the base path in front");

    await assert.rejects(
      t.ag.send(new AG.ImportRestApiCommand({ body: body(yaml), failOnWarnings: true })),
      sdkError(AG.BadRequestException, 400, /^Warnings found during import:/),
    );
    const split = await t.ag.send(
      new AG.ImportRestApiCommand({ body: body(yaml.replace("basePath: /v1", "basePath: /prod/api")), parameters: { basepath: "split" } }),
    );
    assert.deepEqual(await paths(split.id!), ["/", "/api", "/api/items"], "basepath=split drops the first segment as the stage");
  });

  test("API Gateway extensions set the API's settings, authorizers, API keys, gateway responses and documentation", async () => {
    const doc = {
      openapi: "3.0.1",
      info: { title: "extended", version: "1" },
      "x-amazon-apigateway-api-key-source": "AUTHORIZER",
      "x-amazon-apigateway-binary-media-types": ["image/png", "*/*"],
      "x-amazon-apigateway-minimum-compression-size": 1024,
      "x-amazon-apigateway-policy": { Version: "2012-10-17", Statement: [] },
      "x-amazon-apigateway-request-validators": { all: { validateRequestBody: true, validateRequestParameters: true } },
      "x-amazon-apigateway-request-validator": "all",
      "x-amazon-apigateway-gateway-responses": {
        DEFAULT_4XX: { statusCode: "400", responseParameters: { "gatewayresponse.header.Access-Control-Allow-Origin": "'*'" } },
      },
      "x-amazon-apigateway-documentation": {
        version: "1",
        documentationParts: [{ location: { type: "API" }, properties: { description: "the API" } }],
      },
      paths: {
        "/secure": {
          "x-amazon-apigateway-any-method": {
            security: [{ tok: [] }, { api_key: [] }],
            responses: {},
            "x-amazon-apigateway-integration": { type: "mock" },
          },
          get: { security: [{ sigv4: [] }], responses: {}, "x-amazon-apigateway-integration": { type: "mock" } },
        },
      },
      components: {
        securitySchemes: {
          api_key: { type: "apiKey", name: "x-api-key", in: "header" },
          sigv4: { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" },
          tok: {
            type: "apiKey",
            name: "Authorization",
            in: "header",
            "x-amazon-apigateway-authtype": "custom",
            "x-amazon-apigateway-authorizer": { type: "token", authorizerUri: LAMBDA_URI, authorizerResultTtlInSeconds: 60 },
          },
        },
      },
    };
    const api = await t.ag.send(new AG.ImportRestApiCommand({ body: body(doc) }));
    const restApiId = api.id!;
    assert.equal(api.apiKeySource, "AUTHORIZER");
    assert.deepEqual(api.binaryMediaTypes, ["image/png", "*/*"]);
    assert.equal(api.minimumCompressionSize, 1024);
    assert.deepEqual(JSON.parse(api.policy!), { Version: "2012-10-17", Statement: [] });

    const authorizers = await t.ag.send(new AG.GetAuthorizersCommand({ restApiId }));
    assert.equal(authorizers.items!.length, 1);
    const tok = authorizers.items![0]!;
    assert.equal(tok.name, "tok");
    assert.equal(tok.type, "TOKEN");
    assert.equal(tok.identitySource, "method.request.header.Authorization");
    assert.equal(tok.authorizerResultTtlInSeconds, 60);

    const validators = await t.ag.send(new AG.GetRequestValidatorsCommand({ restApiId }));
    assert.equal(validators.items!.length, 1);
    const resources = await t.ag.send(new AG.GetResourcesCommand({ restApiId, embed: ["methods"] }));
    const secure = resources.items!.find((r) => r.path === "/secure")!;
    const any = secure.resourceMethods!["ANY"]!;
    assert.equal(any.authorizationType, "CUSTOM");
    assert.equal(any.authorizerId, tok.id);
    assert.equal(any.apiKeyRequired, true);
    assert.equal(any.requestValidatorId, validators.items![0]!.id, "the root validator applies to every method");
    assert.equal(secure.resourceMethods!["GET"]!.authorizationType, "AWS_IAM");

    const gr = await t.ag.send(new AG.GetGatewayResponseCommand({ restApiId, responseType: "DEFAULT_4XX" }));
    assert.equal(gr.statusCode, "400");
    assert.equal(gr.defaultResponse, false);
    const parts = await t.ag.send(new AG.GetDocumentationPartsCommand({ restApiId }));
    assert.equal(parts.items!.length, 1);
    assert.deepEqual(JSON.parse(parts.items![0]!.properties!), { description: "the API" });

    const ignored = await t.ag.send(new AG.ImportRestApiCommand({ body: body(doc), parameters: { ignore: "documentation" } }));
    const none = await t.ag.send(new AG.GetDocumentationPartsCommand({ restApiId: ignored.id! }));
    assert.equal(none.items!.length, 0, "ignore=documentation skips the documentation extension");
  });

  /** A definition-level view of an API that does not depend on generated ids. */
  async function definition(restApiId: string): Promise<Json> {
    const [resources, models, validators, authorizers] = await Promise.all([
      t.ag.send(new AG.GetResourcesCommand({ restApiId, embed: ["methods"], limit: 500 })),
      t.ag.send(new AG.GetModelsCommand({ restApiId, limit: 500 })),
      t.ag.send(new AG.GetRequestValidatorsCommand({ restApiId })),
      t.ag.send(new AG.GetAuthorizersCommand({ restApiId })),
    ]);
    const validatorName = new Map(validators.items!.map((v) => [v.id!, v.name!]));
    const authorizerName = new Map(authorizers.items!.map((a) => [a.id!, a.name!]));
    const schemaOf = (s: string): unknown => {
      const { $schema: _ignored, ...rest } = JSON.parse(s.replaceAll(`/restapis/${restApiId}/`, "/restapis/API/")) as Json;
      return rest;
    };
    const paths: Json = {};
    for (const r of resources.items!) {
      const methods: Json = {};
      for (const [verb, m] of Object.entries(r.resourceMethods ?? {})) {
        const { requestValidatorId, authorizerId, methodIntegration, ...rest } = m;
        const integration = methodIntegration ? { ...methodIntegration, cacheNamespace: methodIntegration.cacheNamespace === r.id ? "<resource>" : methodIntegration.cacheNamespace } : undefined;
        methods[verb] = {
          ...rest,
          validator: requestValidatorId ? validatorName.get(requestValidatorId) : undefined,
          authorizer: authorizerId ? authorizerName.get(authorizerId) : undefined,
          integration,
        };
      }
      paths[r.path!] = methods;
    }
    return {
      paths,
      models: Object.fromEntries(models.items!.map((m) => [m.name!, { contentType: m.contentType, schema: schemaOf(m.schema!) }])),
      validators: validators.items!.map(({ id: _id, ...v }) => v).sort((a, b) => a.name!.localeCompare(b.name!)),
      authorizers: authorizers.items!.map(({ id: _id, ...a }) => a),
    };
  }

  for (const exportType of ["oas30", "swagger"] as const) {
    test(`exporting with extensions=apigateway and importing the ${exportType} document rebuilds the same API`, async () => {
      const api = await t.ag.send(new AG.ImportRestApiCommand({ body: body(oas3WithLambdaIntegration) }));
      const restApiId = api.id!;
      const res = await t.ag.send(new AG.GetResourcesCommand({ restApiId }));
      const pets = res.items!.find((r) => r.path === "/pets")!;
      const root = res.items!.find((r) => r.path === "/")!;
      const validator = await t.ag.send(new AG.CreateRequestValidatorCommand({ restApiId, name: "params", validateRequestParameters: true }));
      await t.ag.send(new AG.CreateRequestValidatorCommand({ restApiId, name: "body", validateRequestBody: true }));
      const authorizer = await t.ag.send(
        new AG.CreateAuthorizerCommand({ restApiId, name: "tok", type: "TOKEN", authorizerUri: LAMBDA_URI, identitySource: "method.request.header.Authorization" }),
      );
      await t.ag.send(
        new AG.PutMethodCommand({
          restApiId,
          resourceId: pets.id!,
          httpMethod: "DELETE",
          authorizationType: "CUSTOM",
          authorizerId: authorizer.id!,
          apiKeyRequired: true,
          requestValidatorId: validator.id!,
          requestParameters: { "method.request.header.x-trace": true },
        }),
      );
      const del = { restApiId, resourceId: pets.id!, httpMethod: "DELETE" };
      await t.ag.send(
        new AG.PutIntegrationCommand({
          ...del,
          type: "HTTP",
          integrationHttpMethod: "DELETE",
          uri: "https://backend.example.com/pets",
          requestParameters: { "integration.request.header.x-trace": "method.request.header.x-trace" },
          requestTemplates: { "application/json": "$input.body" },
          passthroughBehavior: "NEVER",
          timeoutInMillis: 5000,
          cacheKeyParameters: ["method.request.header.x-trace"],
        }),
      );
      await t.ag.send(
        new AG.PutMethodResponseCommand({ ...del, statusCode: "204", responseParameters: { "method.response.header.x-id": false } }),
      );
      await t.ag.send(new AG.PutMethodResponseCommand({ ...del, statusCode: "404", responseModels: { "application/json": "Error" } }));
      await t.ag.send(
        new AG.PutIntegrationResponseCommand({ ...del, statusCode: "204", selectionPattern: "", responseParameters: { "method.response.header.x-id": "integration.response.header.id" } }),
      );
      await t.ag.send(
        new AG.PutIntegrationResponseCommand({ ...del, statusCode: "404", selectionPattern: "4\\d{2}", responseTemplates: { "application/json": '{"message":"gone"}' } }),
      );
      await t.ag.send(new AG.PutMethodCommand({ restApiId, resourceId: root.id!, httpMethod: "ANY", authorizationType: "AWS_IAM" }));
      await t.ag.send(
        new AG.PutIntegrationCommand({ restApiId, resourceId: root.id!, httpMethod: "ANY", type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }),
      );
      await t.ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "dev" }));

      const exported = await t.ag.send(new AG.GetExportCommand({ restApiId, stageName: "dev", exportType, parameters: { extensions: "apigateway" } }));
      const copy = await t.ag.send(new AG.ImportRestApiCommand({ body: exported.body! }));
      assert.deepEqual(copy.warnings, undefined);
      const [original, rebuilt] = await Promise.all([definition(restApiId), definition(copy.id!)]);
      // An empty map and an absent one mean the same (PutMethodResponse stores `{}`, an import leaves them out).
      const normalizeIds = (d: Json): Json =>
        JSON.parse(JSON.stringify(d).replaceAll(`/restapis/${copy.id!}/`, "/restapis/API/"), (_k, v: unknown) =>
          v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0 ? undefined : v,
        ) as Json;
      assert.deepEqual(normalizeIds(rebuilt), normalizeIds(original));
    });
  }

  test("GetExport refuses unknown export types and Accept formats", async () => {
    const { restApiId } = await createDeployedPetsApi(t.ag);
    const bad = await t.signedFetch("GET", `/restapis/${restApiId}/stages/dev/exports/raml`);
    assert.equal(bad.status, 400);
    const xml = await t.signedFetch("GET", `/restapis/${restApiId}/stages/dev/exports/swagger`, { headers: { accept: "application/xml" } });
    assert.equal(xml.status, 400);
    const def = await t.signedFetch("GET", `/restapis/${restApiId}/stages/dev/exports/swagger`);
    assert.equal(def.status, 200);
    assert.match(def.headers.get("content-type")!, /^application\/json/);
  });
});
