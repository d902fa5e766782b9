import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import type { RestApiDoc } from "../../src/domain/rest-api.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { rejectsWith } from "../helpers/fixtures.js";


const AUTHORIZER_MESSAGE =
  "Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.";

describe("Method and MethodResponse operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  /** A fresh API with `/pets` (no methods yet). */
  async function petsApi(): Promise<{ restApiId: string; resourceId: string }> {
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "methods" }));
    const pets = await t.ag.send(new AG.CreateResourceCommand({ restApiId: api.id!, parentId: api.rootResourceId!, pathPart: "pets" }));
    return { restApiId: api.id!, resourceId: pets.id! };
  }

  /** The pets fixture of sdk-conformance.md: GET with a MOCK integration and 200 responses. */
  async function petsFixture(): Promise<{ restApiId: string; resourceId: string; httpMethod: string }> {
    const ids = { ...(await petsApi()), httpMethod: "GET" };
    await t.ag.send(new AG.PutMethodCommand({ ...ids, authorizationType: "NONE" }));
    await t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }));
    await t.ag.send(new AG.PutMethodResponseCommand({ ...ids, statusCode: "200" }));
    await t.ag.send(
      new AG.PutIntegrationResponseCommand({ ...ids, statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"ok":true}' } }),
    );
    return ids;
  }

  /** Authorizers and validators have their own operations; the tests place them in the stored API directly. */
  async function addToApi(restApiId: string, change: (api: RestApiDoc) => void): Promise<void> {
    await t.gw.store.write(async (w) => {
      const api = (await w.get<RestApiDoc>("restapi", restApiId))!;
      change(api);
      await w.put("restapi", restApiId, api);
    });
  }

  test("PutMethod answers 201 with exactly the verb, authorization type and apiKeyRequired; a second Put conflicts", async () => {
    const ids = await petsApi();
    const { $metadata, ...method } = await t.ag.send(new AG.PutMethodCommand({ ...ids, httpMethod: "GET", authorizationType: "NONE" }));
    assert.equal($metadata.httpStatusCode, 201);
    assert.deepEqual(method, { httpMethod: "GET", authorizationType: "NONE", apiKeyRequired: false });
    await rejectsWith(
      t.ag.send(new AG.PutMethodCommand({ ...ids, httpMethod: "GET", authorizationType: "NONE" })),
      "ConflictException",
      409,
      "Method already exists for this resource",
    );
  });

  test("PutMethod echoes the optional fields it was given", async () => {
    const ids = await petsApi();
    const { $metadata, ...method } = await t.ag.send(
      new AG.PutMethodCommand({
        ...ids,
        httpMethod: "POST",
        authorizationType: "AWS_IAM",
        apiKeyRequired: true,
        operationName: "CreatePet",
        requestParameters: { "method.request.querystring.limit": false, "method.request.header.x-id": true },
        requestModels: { "application/json": "Empty" },
      }),
    );
    assert.equal($metadata.httpStatusCode, 201);
    assert.deepEqual(method, {
      httpMethod: "POST",
      authorizationType: "AWS_IAM",
      apiKeyRequired: true,
      operationName: "CreatePet",
      requestParameters: { "method.request.querystring.limit": false, "method.request.header.x-id": true },
      requestModels: { "application/json": "Empty" },
    });
  });

  test("PutMethod rejects an unknown verb, unknown models and validators, and duplicate parameter names", async () => {
    const ids = await petsApi();
    await rejectsWith(
      t.ag.send(new AG.PutMethodCommand({ ...ids, httpMethod: "FETCH", authorizationType: "NONE" })),
      "BadRequestException",
      400,
      "Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY",
    );
    await rejectsWith(
      t.ag.send(new AG.PutMethodCommand({ ...ids, httpMethod: "POST", authorizationType: "NONE", requestModels: { "application/json": "Pet" } })),
      "BadRequestException",
      400,
      "Invalid model identifier specified: Pet",
    );
    await rejectsWith(
      t.ag.send(new AG.PutMethodCommand({ ...ids, httpMethod: "POST", authorizationType: "NONE", requestValidatorId: "nope00" })),
      "BadRequestException",
      400,
      "Invalid Request Validator identifier specified",
    );
    await rejectsWith(
      t.ag.send(
        new AG.PutMethodCommand({
          ...ids,
          httpMethod: "POST",
          authorizationType: "NONE",
          requestParameters: { "method.request.querystring.id": true, "method.request.header.id": false },
        }),
      ),
      "BadRequestException",
      400,
      "Parameter names must be unique across querystring, header and path",
    );
    const raw = await t.signedFetch("PUT", `/restapis/${ids.restApiId}/resources/${ids.resourceId}/methods/POST`, {
      body: JSON.stringify({ authorizationType: "NONE", requestParameters: { "method.request.querystring.q": "true" } }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(raw.status, 400);
    assert.equal(
      ((await raw.json()) as { message: string }).message,
      "Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: true]",
    );
  });

  test("PutMethod on an unknown API or resource is 'Invalid Resource identifier specified'", async () => {
    const ids = await petsApi();
    for (const target of [{ ...ids, restApiId: "nosuchapi0" }, { ...ids, resourceId: "zzzzzz" }]) {
      await rejectsWith(
        t.ag.send(new AG.PutMethodCommand({ ...target, httpMethod: "GET", authorizationType: "NONE" })),
        "NotFoundException",
        404,
        "Invalid Resource identifier specified",
      );
    }
  });

  test("CUSTOM authorization needs an existing authorizer of the API", async () => {
    const ids = await petsApi();
    await rejectsWith(
      t.ag.send(new AG.PutMethodCommand({ ...ids, httpMethod: "POST", authorizationType: "CUSTOM" })),
      "BadRequestException",
      400,
      AUTHORIZER_MESSAGE,
    );
    await rejectsWith(
      t.ag.send(new AG.PutMethodCommand({ ...ids, httpMethod: "POST", authorizationType: "COGNITO_USER_POOLS", authorizerId: "nope00" })),
      "BadRequestException",
      400,
      AUTHORIZER_MESSAGE,
    );
    await addToApi(ids.restApiId, (api) => {
      api.authorizers["auth01"] = { id: "auth01", name: "tok", type: "TOKEN", authorizerResultTtlInSeconds: 300 };
    });
    const res = await t.ag.send(new AG.PutMethodCommand({ ...ids, httpMethod: "DELETE", authorizationType: "CUSTOM", authorizerId: "auth01" }));
    assert.equal(res.$metadata.httpStatusCode, 201);
    assert.equal(res.authorizerId, "auth01");
  });

  test("a method with responses and an integration shows them in GetMethod", async () => {
    const ids = await petsFixture();
    const res = await t.ag.send(new AG.GetMethodCommand(ids));
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.methodResponses?.["200"]?.statusCode, "200");
    assert.equal(res.methodIntegration?.integrationResponses?.["200"]?.selectionPattern, "");
    assert.equal(res.methodIntegration?.type, "MOCK");
    await rejectsWith(t.ag.send(new AG.GetMethodCommand({ ...ids, httpMethod: "POST" })), "NotFoundException", 404, "Invalid Method identifier specified");
    await rejectsWith(
      t.ag.send(new AG.GetMethodCommand({ ...ids, httpMethod: "toString" })),
      "NotFoundException",
      404,
      "Invalid Method identifier specified",
    );
  });

  test("UpdateMethod replaces scalars and refuses other ops or unknown paths", async () => {
    const ids = await petsFixture();
    const update = (patchOperations: AG.PatchOperation[]) => t.ag.send(new AG.UpdateMethodCommand({ ...ids, patchOperations }));
    const res = await update([{ op: "replace", path: "/apiKeyRequired", value: "true" }]);
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.apiKeyRequired, true);
    assert.equal(res.methodIntegration?.type, "MOCK");
    await rejectsWith(
      update([{ op: "add", path: "/apiKeyRequired", value: "true" }]),
      "BadRequestException",
      400,
      "Invalid patch operation specified. Must be one of: [replace]",
    );
    await rejectsWith(update([{ op: "replace", path: "/httpMethod", value: "POST" }]), "BadRequestException", 400, "Invalid patch path /httpMethod");
    await rejectsWith(
      update([{ op: "add", path: "/requestParameters", value: "true" }]),
      "BadRequestException",
      400,
      "Invalid patch path /requestParameters",
    );
    await rejectsWith(
      update([{ op: "add", path: "/requestModels/application/json", value: "Empty" }]),
      "BadRequestException",
      400,
      "Invalid patch path /requestModels/application/json",
    );
  });

  test("UpdateMethod edits request parameters, models, validators and authorization", async () => {
    const ids = await petsFixture();
    await addToApi(ids.restApiId, (api) => {
      api.authorizers["auth01"] = { id: "auth01", name: "tok", type: "TOKEN", authorizerResultTtlInSeconds: 300 };
      api.requestValidators["val001"] = { id: "val001", name: "body", validateRequestBody: true, validateRequestParameters: false };
    });
    const update = (patchOperations: AG.PatchOperation[]) => t.ag.send(new AG.UpdateMethodCommand({ ...ids, patchOperations }));
    const res = await update([
      { op: "add", path: "/requestParameters/method.request.querystring.limit", value: "true" },
      { op: "add", path: "/requestModels/application~1json", value: "Error" },
      { op: "replace", path: "/requestValidatorId", value: "val001" },
      { op: "replace", path: "/operationName", value: "ListPets" },
    ]);
    assert.deepEqual(res.requestParameters, { "method.request.querystring.limit": true });
    assert.deepEqual(res.requestModels, { "application/json": "Error" });
    assert.equal(res.requestValidatorId, "val001");
    assert.equal(res.operationName, "ListPets");

    await rejectsWith(
      update([{ op: "replace", path: "/requestValidatorId", value: "nope00" }]),
      "BadRequestException",
      400,
      "Invalid Request Validator identifier specified",
    );
    await rejectsWith(
      update([{ op: "add", path: "/requestModels/text~1plain", value: "Nope" }]),
      "BadRequestException",
      400,
      "Invalid model identifier specified: Nope",
    );
    await rejectsWith(update([{ op: "replace", path: "/authorizationType", value: "CUSTOM" }]), "BadRequestException", 400, AUTHORIZER_MESSAGE);

    const custom = await update([
      { op: "replace", path: "/authorizationType", value: "CUSTOM" },
      { op: "replace", path: "/authorizerId", value: "auth01" },
      { op: "remove", path: "/requestParameters/method.request.querystring.limit" },
      { op: "replace", path: "/requestValidatorId", value: "" },
    ]);
    assert.equal(custom.authorizationType, "CUSTOM");
    assert.equal(custom.authorizerId, "auth01");
    assert.equal(custom.requestParameters?.["method.request.querystring.limit"], undefined);
    assert.equal(custom.requestValidatorId, undefined);

    const none = await update([{ op: "replace", path: "/authorizationType", value: "NONE" }]);
    assert.equal(none.authorizerId, undefined);
  });

  test("PutMethodResponse answers 201 with empty maps; UpdateMethodResponse answers 201 and drops emptied maps", async () => {
    const ids = { ...(await petsApi()), httpMethod: "GET" };
    await t.ag.send(new AG.PutMethodCommand({ ...ids, authorizationType: "NONE" }));
    const raw = await t.signedFetch("PUT", `/restapis/${ids.restApiId}/resources/${ids.resourceId}/methods/GET/responses/200`, {
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    assert.equal(raw.status, 201);
    assert.deepEqual(await raw.json(), { statusCode: "200", responseModels: {}, responseParameters: {} });
    await rejectsWith(
      t.ag.send(new AG.PutMethodResponseCommand({ ...ids, statusCode: "200" })),
      "ConflictException",
      409,
      "Response already exists for this resource",
    );

    const update = (patchOperations: AG.PatchOperation[]) => t.ag.send(new AG.UpdateMethodResponseCommand({ ...ids, statusCode: "200", patchOperations }));
    const added = await update([
      { op: "add", path: "/responseParameters/method.response.header.x-id", value: "false" },
      { op: "add", path: "/responseModels/application~1json", value: "Empty" },
    ]);
    assert.equal(added.$metadata.httpStatusCode, 201);
    assert.equal(added.responseParameters?.["method.response.header.x-id"], false);
    assert.deepEqual(added.responseModels, { "application/json": "Empty" });

    await rejectsWith(
      update([{ op: "remove", path: "/responseParameters/method.response.header.missing" }]),
      "NotFoundException",
      404,
      "Invalid parameter name specified",
    );
    await rejectsWith(
      update([{ op: "replace", path: "/responseModels/text~1plain", value: "Empty" }]),
      "NotFoundException",
      404,
      "Content-Type specified was not found",
    );
    await rejectsWith(update([{ op: "replace", path: "/statusCode", value: "201" }]), "BadRequestException", 400, "Invalid patch path /statusCode");

    const emptied = await update([
      { op: "remove", path: "/responseParameters/method.response.header.x-id" },
      { op: "remove", path: "/responseModels/application~1json" },
    ]);
    const { $metadata, ...body } = emptied;
    assert.equal($metadata.httpStatusCode, 201);
    assert.deepEqual(body, { statusCode: "200" });
  });

  test("method response status codes must match [1-5]\\d\\d and unknown ones are not found", async () => {
    const ids = await petsFixture();
    await assert.rejects(t.ag.send(new AG.GetMethodResponseCommand({ ...ids, statusCode: "600" })), (err: AG.APIGatewayServiceException) => {
      assert.equal(err.name, "ValidationException");
      assert.equal(err.$metadata.httpStatusCode, 400);
      assert.equal(
        err.message,
        "1 validation error detected: Value '600' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
      );
      return true;
    });
    await rejectsWith(
      t.ag.send(new AG.GetMethodResponseCommand({ ...ids, statusCode: "404" })),
      "NotFoundException",
      404,
      "Invalid Response status code specified",
    );
    await rejectsWith(
      t.ag.send(new AG.PutMethodResponseCommand({ ...ids, httpMethod: "POST", statusCode: "200" })),
      "NotFoundException",
      404,
      "Invalid Method identifier specified",
    );
  });

  test("the four deletes answer 204 and DeleteMethod takes everything under the method with it", async () => {
    const ids = await petsFixture();
    const statuses = [
      (await t.ag.send(new AG.DeleteIntegrationResponseCommand({ ...ids, statusCode: "200" }))).$metadata.httpStatusCode,
      (await t.ag.send(new AG.DeleteIntegrationCommand(ids))).$metadata.httpStatusCode,
      (await t.ag.send(new AG.DeleteMethodResponseCommand({ ...ids, statusCode: "200" }))).$metadata.httpStatusCode,
      (await t.ag.send(new AG.DeleteMethodCommand(ids))).$metadata.httpStatusCode,
    ];
    assert.deepEqual(statuses, [204, 204, 204, 204]);
    await rejectsWith(t.ag.send(new AG.GetMethodCommand(ids)), "NotFoundException", 404, "Invalid Method identifier specified");

    const again = await petsFixture();
    assert.equal((await t.ag.send(new AG.DeleteMethodCommand(again))).$metadata.httpStatusCode, 204);
    await t.ag.send(new AG.PutMethodCommand({ ...again, authorizationType: "NONE" }));
    const fresh = await t.ag.send(new AG.GetMethodCommand(again));
    assert.equal(fresh.methodResponses, undefined);
    assert.equal(fresh.methodIntegration, undefined);
  });
});
