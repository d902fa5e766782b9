// Request validation on the data plane (data-plane.md §8), driven end to end: models, request validators and
// methods built with the SDK, deployed, then called over HTTPS.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { dataRequest, userPath, type DataResponse } from "../helpers/dataplane.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const PET = {
  $schema: "http://json-schema.org/draft-04/schema#",
  type: "object",
  required: ["name", "age"],
  properties: {
    name: { type: "string", minLength: 2 },
    age: { type: "integer", minimum: 0 },
    kind: { enum: ["dog", "cat"] },
    owner: { $ref: "" },
  },
};

describe("request validation", () => {
  let t: TestGateway;
  let apiId: string;
  const stage = "v";
  const call = (path: string, init: Parameters<typeof dataRequest>[2] = {}): Promise<DataResponse> => dataRequest(t, userPath(apiId, stage, path), init);
  const redeploy = async (): Promise<void> => {
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: stage }));
    await t.gw.dataPlane.registry.settled();
  };
  const json = (body: unknown, headers: Record<string, string> = {}): Parameters<typeof dataRequest>[2] => ({
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

  before(async () => {
    t = await startTestGateway();
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "validated" }));
    apiId = api.id!;
    const restApiId = apiId;
    await t.ag.send(new AG.CreateModelCommand({ restApiId, name: "Owner", contentType: "application/json", schema: JSON.stringify({ type: "object", required: ["id"], properties: { id: { type: "string" } } }) }));
    const pet = { ...PET, properties: { ...PET.properties, owner: { $ref: `https://apigateway.amazonaws.com/restapis/${restApiId}/models/Owner` } } };
    await t.ag.send(new AG.CreateModelCommand({ restApiId, name: "Pet", contentType: "application/json", schema: JSON.stringify(pet) }));
    const all = await t.ag.send(new AG.CreateRequestValidatorCommand({ restApiId, name: "all", validateRequestBody: true, validateRequestParameters: true }));
    const body = await t.ag.send(new AG.CreateRequestValidatorCommand({ restApiId, name: "body", validateRequestBody: true }));
    const params = await t.ag.send(new AG.CreateRequestValidatorCommand({ restApiId, name: "params", validateRequestParameters: true }));

    const method = async (pathPart: string, validatorId: string | undefined, extra: Partial<AG.PutMethodRequest>): Promise<void> => {
      const resource = await t.ag.send(new AG.CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart }));
      const resourceId = resource.id!;
      await t.ag.send(new AG.PutMethodCommand({ restApiId, resourceId, httpMethod: "POST", authorizationType: "NONE", requestValidatorId: validatorId, ...extra }));
      await t.ag.send(new AG.PutIntegrationCommand({ restApiId, resourceId, httpMethod: "POST", type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}', "text/plain": '{"statusCode": 200}' } }));
      await t.ag.send(new AG.PutMethodResponseCommand({ restApiId, resourceId, httpMethod: "POST", statusCode: "200" }));
      await t.ag.send(new AG.PutIntegrationResponseCommand({ restApiId, resourceId, httpMethod: "POST", statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"accepted":true}' } }));
    };
    await method("pets", all.id, {
      requestParameters: { "method.request.querystring.dryRun": true, "method.request.header.x-tenant": true, "method.request.querystring.optional": false },
      requestModels: { "application/json": "Pet" },
    });
    await method("anything", body.id, {});
    await method("fallback", body.id, { requestModels: { $default: "Pet" } });
    await method("params", params.id, { requestParameters: { "method.request.header.x-b": true, "method.request.header.x-a": true }, requestModels: { "application/json": "Pet" } });
    await method("unchecked", undefined, { requestParameters: { "method.request.header.x-a": true }, requestModels: { "application/json": "Pet" } });
    await redeploy();
  });
  after(async () => {
    await t.close();
  });

  const goodPet = { name: "Rex", age: 3, kind: "dog", owner: { id: "o-1" } };

  test("a request that satisfies its validator reaches the integration", async () => {
    const res = await call("/pets?dryRun=1", json(goodPet, { "x-tenant": "t1" }));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { accepted: true });
  });

  test("missing required parameters: 400 BadRequestException naming them, headers before query string", async () => {
    const res = await call("/pets?optional=x", json(goodPet));
    assert.equal(res.status, 400);
    assert.equal(res.headers["x-amzn-errortype"], "BadRequestException");
    assert.equal(res.body, '{"message": "Missing required request parameters: [x-tenant, dryRun]"}');
    // Present but blank counts as missing ("included and not blank").
    assert.equal((await call("/pets?dryRun=", json(goodPet, { "x-tenant": " " }))).body, '{"message": "Missing required request parameters: [x-tenant, dryRun]"}');
    assert.equal((await call("/pets?dryRun=0", json(goodPet))).body, '{"message": "Missing required request parameters: [x-tenant]"}');
    // Sorted by the whole method.request key.
    assert.equal((await call("/params", json(goodPet))).body, '{"message": "Missing required request parameters: [x-a, x-b]"}');
  });

  test("parameters are checked before the body: only the first failure is reported", async () => {
    const res = await call("/pets", json({ name: "R" }));
    assert.equal(res.status, 400);
    assert.match(res.body, /Missing required request parameters/);
  });

  test("a body that breaks the model or is not JSON: 400 Invalid request body", async () => {
    for (const bad of [{ name: "Rex" }, { ...goodPet, age: -1 }, { ...goodPet, kind: "fish" }, { ...goodPet, owner: {} }, { ...goodPet, name: 7 }]) {
      const res = await call("/pets?dryRun=1", json(bad, { "x-tenant": "t1" }));
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(res.headers["x-amzn-errortype"], "BadRequestException");
      assert.equal(res.body, '{"message": "Invalid request body"}');
    }
    const notJson = await call("/pets?dryRun=1", { method: "POST", headers: { "content-type": "application/json", "x-tenant": "t1" }, body: "{nope" });
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body, '{"message": "Invalid request body"}');
  });

  test("the model is chosen by content type, then $default; with neither the body is not validated", async () => {
    const plain = (body: string): Parameters<typeof dataRequest>[2] => ({ method: "POST", headers: { "content-type": "text/plain; charset=utf-8" }, body });
    assert.equal((await call("/fallback", plain(JSON.stringify(goodPet)))).status, 200);
    assert.equal((await call("/fallback", plain('{"name":"Rex"}'))).status, 400);
    assert.equal((await call("/fallback", { method: "POST" })).status, 400, "an empty body is {}, which lacks name and age");
    // No model for text/plain on /pets: the body goes through unchecked (parameters still are).
    const unmatched = await call("/pets?dryRun=1", { method: "POST", headers: { "content-type": "text/plain", "x-tenant": "t1" }, body: "not json at all" });
    assert.equal(unmatched.status, 200);
    // A body validator on a method without request models checks nothing.
    assert.equal((await call("/anything", json([1, 2]))).status, 200);
  });

  test("a validator that checks parameters only lets any body through; a method without one checks nothing", async () => {
    assert.equal((await call("/params", json({ not: "a pet" }, { "x-a": "1", "x-b": "2" }))).status, 200);
    assert.equal((await call("/unchecked", { method: "POST", body: "{nope" })).status, 200);
  });

  test("$context.error.validationErrorString reaches a customised BAD_REQUEST_BODY response", async () => {
    await t.ag.send(
      new AG.PutGatewayResponseCommand({
        restApiId: apiId,
        responseType: "BAD_REQUEST_BODY",
        statusCode: "422",
        responseTemplates: { "application/json": '{"message": $context.error.messageString, "detail": "$context.error.validationErrorString"}' },
      }),
    );
    await redeploy();
    const res = await call("/pets?dryRun=1", json({ name: "R", kind: "fish", owner: {} }, { "x-tenant": "t1" }));
    assert.equal(res.status, 422);
    assert.match(res.body, /^\{"message": "Invalid request body", "detail": "\[/);
    assert.ok(res.body.includes('object has missing required properties (["age"])'), res.body);
    assert.ok(res.body.includes('string "R" is too short (length: 1, required minimum: 2)'), res.body);
    assert.ok(res.body.includes('instance value ("fish") not found in enum (possible values: ["dog","cat"])'), res.body);
    assert.ok(res.body.includes('object has missing required properties (["id"])'), res.body);
  });

  test("UpdateMethod sets a $default model; the next deployment validates with it", async () => {
    const resources = await t.ag.send(new AG.GetResourcesCommand({ restApiId: apiId }));
    const anything = resources.items!.find((r) => r.path === "/anything")!;
    const updated = await t.ag.send(
      new AG.UpdateMethodCommand({ restApiId: apiId, resourceId: anything.id!, httpMethod: "POST", patchOperations: [{ op: "add", path: "/requestModels/$default", value: "Pet" }] }),
    );
    assert.deepEqual(updated.requestModels, { $default: "Pet" });
    assert.equal((await call("/anything", json([1, 2]))).status, 200, "the stage still serves its deployment");
    await redeploy();
    // 422: BAD_REQUEST_BODY as customised by the test before.
    assert.equal((await call("/anything", json([1, 2]))).status, 422);
    assert.equal((await call("/anything", json(goodPet))).status, 200);
  });

  test("TestInvokeMethod runs the validator and logs its verdict", async () => {
    const resources = await t.ag.send(new AG.GetResourcesCommand({ restApiId: apiId }));
    const pets = resources.items!.find((r) => r.path === "/pets")!;
    const ok = await t.ag.send(
      new AG.TestInvokeMethodCommand({
        restApiId: apiId,
        resourceId: pets.id!,
        httpMethod: "POST",
        pathWithQueryString: "/pets?dryRun=1",
        headers: { "Content-Type": "application/json", "x-tenant": "t1" },
        body: JSON.stringify(goodPet),
      }),
    );
    assert.equal(ok.status, 200);
    assert.match(ok.log ?? "", /Request validation succeeded for content type application\/json/);
    const bad = await t.ag.send(
      new AG.TestInvokeMethodCommand({ restApiId: apiId, resourceId: pets.id!, httpMethod: "POST", pathWithQueryString: "/pets", body: "{}" }),
    );
    assert.equal(bad.status, 400);
    assert.match(bad.body ?? "", /Missing required request parameters: \[x-tenant, dryRun\]/);
  });
});
