import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { ACCOUNT, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { rejectsWith } from "../helpers/fixtures.js";


const LAMBDA_URI = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:${ACCOUNT}:function:pets/invocations`;

describe("Integration and IntegrationResponse operations", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  /** A fresh API with `/pets` and a GET method without integration. */
  async function petsGet(): Promise<{ restApiId: string; resourceId: string; httpMethod: string }> {
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "integrations" }));
    const pets = await t.ag.send(new AG.CreateResourceCommand({ restApiId: api.id!, parentId: api.rootResourceId!, pathPart: "pets" }));
    const ids = { restApiId: api.id!, resourceId: pets.id!, httpMethod: "GET" };
    await t.ag.send(new AG.PutMethodCommand({ ...ids, authorizationType: "NONE" }));
    return ids;
  }

  test("PutIntegration on a verb without a method is 'Invalid Method identifier specified'", async () => {
    const ids = await petsGet();
    await rejectsWith(
      t.ag.send(new AG.PutIntegrationCommand({ ...ids, httpMethod: "POST", type: "MOCK" })),
      "NotFoundException",
      404,
      "Invalid Method identifier specified",
    );
    await rejectsWith(
      t.ag.send(new AG.GetIntegrationCommand({ ...ids, restApiId: "nosuchapi0" })),
      "NotFoundException",
      404,
      "Invalid Resource identifier specified",
    );
  });

  test("a Lambda proxy integration stores the integration verb and AWS's defaults", async () => {
    const ids = await petsGet();
    const put = await t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "AWS_PROXY", integrationHttpMethod: "POST", uri: LAMBDA_URI }));
    assert.equal(put.$metadata.httpStatusCode, 201);
    const { $metadata, ...got } = await t.ag.send(new AG.GetIntegrationCommand(ids));
    assert.equal($metadata.httpStatusCode, 200);
    assert.deepEqual(got, {
      type: "AWS_PROXY",
      httpMethod: "POST",
      uri: LAMBDA_URI,
      passthroughBehavior: "WHEN_NO_MATCH",
      timeoutInMillis: 29000,
      cacheNamespace: ids.resourceId,
      cacheKeyParameters: [],
    });
  });

  test("GetIntegration on a method without one is 'Invalid Integration identifier specified'", async () => {
    const ids = await petsGet();
    await rejectsWith(t.ag.send(new AG.GetIntegrationCommand(ids)), "NotFoundException", 404, "Invalid Integration identifier specified");
    await rejectsWith(
      t.ag.send(new AG.PutIntegrationResponseCommand({ ...ids, statusCode: "200" })),
      "NotFoundException",
      404,
      "Invalid Integration identifier specified",
    );
  });

  test("an integration type outside the enum is a generic ValidationException", async () => {
    const ids = await petsGet();
    await assert.rejects(
      t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "HTTPS_PROXY" as AG.IntegrationType })),
      (err: AG.APIGatewayServiceException) => {
        assert.equal(err.name, "ValidationException");
        assert.equal(err.$metadata.httpStatusCode, 400);
        assert.ok(err instanceof AG.APIGatewayServiceException);
        assert.equal(
          err.message,
          "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]",
        );
        return true;
      },
    );
  });

  test("backend verbs, URLs and ARNs are validated per integration type", async () => {
    const ids = await petsGet();
    const put = (input: Omit<AG.PutIntegrationCommandInput, "restApiId" | "resourceId" | "httpMethod">) =>
      t.ag.send(new AG.PutIntegrationCommand({ ...ids, ...input }));
    await rejectsWith(put({ type: "HTTP", uri: "https://example.com" }), "BadRequestException", 400, "Enumeration value for HttpMethod must be non-empty");
    await rejectsWith(put({ type: "HTTP_PROXY", integrationHttpMethod: "GET" }), "BadRequestException", 400, "Invalid HTTP endpoint specified for URI");
    await rejectsWith(
      put({ type: "HTTP", integrationHttpMethod: "GET", uri: "ftp://example.com/x" }),
      "BadRequestException",
      400,
      "Invalid HTTP endpoint specified for URI",
    );
    await rejectsWith(put({ type: "AWS", integrationHttpMethod: "POST", uri: "not-an-arn" }), "BadRequestException", 400, "Invalid ARN specified in the request");
    await rejectsWith(
      put({ type: "AWS", integrationHttpMethod: "POST", uri: "arn:aws:apigateway:us-east-1:sqs:SendMessage" }),
      "BadRequestException",
      400,
      "AWS ARN for integration must contain path or action",
    );
    await rejectsWith(
      put({ type: "AWS_PROXY", integrationHttpMethod: "POST", uri: "arn:aws:apigateway:us-east-1:sqs:action/SendMessage" }),
      "BadRequestException",
      400,
      "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
    );
    for (const timeoutInMillis of [49, 29001]) {
      await rejectsWith(put({ type: "MOCK", timeoutInMillis }), "BadRequestException", 400, "Timeout should be between 50 ms and 29000 ms");
    }
    const sqs = await put({ type: "AWS", integrationHttpMethod: "POST", uri: "arn:aws:apigateway:us-east-1:sqs:action/SendMessage", timeoutInMillis: 50 });
    assert.equal(sqs.timeoutInMillis, 50);
    const staged = await put({ type: "HTTP_PROXY", integrationHttpMethod: "ANY", uri: "http://${stageVariables.host}/pets/{id}" });
    assert.equal(staged.uri, "http://${stageVariables.host}/pets/{id}");
  });

  test("mapping values must be source expressions: a static value needs its single quotes (Put and Update)", async () => {
    const ids = await petsGet();
    const invalid = (value: string) => `Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression specified: ${value}]`;
    await rejectsWith(
      t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "MOCK", requestParameters: { "integration.request.header.Content-Type": "application/json" } })),
      "BadRequestException",
      400,
      invalid("application/json"),
    );
    await t.ag.send(
      new AG.PutIntegrationCommand({
        ...ids,
        type: "MOCK",
        requestParameters: {
          "integration.request.header.Content-Type": "'application/json'",
          "integration.request.querystring.q": "method.request.querystring.q",
          "integration.request.path.id": "stageVariables.id",
          "integration.request.header.X-Id": "context.requestId",
          "integration.request.header.X-Name": "method.request.body.name",
        },
      }),
    );
    await rejectsWith(
      t.ag.send(new AG.UpdateIntegrationCommand({ ...ids, patchOperations: [{ op: "add", path: "/requestParameters/integration.request.header.X-Bad", value: "nonsense" }] })),
      "BadRequestException",
      400,
      invalid("nonsense"),
    );
    await rejectsWith(
      t.ag.send(new AG.PutIntegrationResponseCommand({ ...ids, statusCode: "200", responseParameters: { "method.response.header.X-Type": "text/plain" } })),
      "BadRequestException",
      400,
      invalid("text/plain"),
    );
    await t.ag.send(
      new AG.PutIntegrationResponseCommand({
        ...ids,
        statusCode: "200",
        responseParameters: { "method.response.header.X-Type": "'text/plain'", "method.response.header.X-Up": "integration.response.header.X-Up" },
      }),
    );
    await rejectsWith(
      t.ag.send(
        new AG.UpdateIntegrationResponseCommand({
          ...ids,
          statusCode: "200",
          patchOperations: [{ op: "replace", path: "/responseParameters/method.response.header.X-Type", value: "plain" }],
        }),
      ),
      "BadRequestException",
      400,
      invalid("plain"),
    );
    const stored = await t.ag.send(new AG.GetIntegrationCommand(ids));
    assert.equal(stored.requestParameters?.["integration.request.header.X-Bad"], undefined, "a refused update changes nothing");
    assert.equal(stored.integrationResponses?.["200"]?.responseParameters?.["method.response.header.X-Type"], "'text/plain'");
  });

  test("a boolean in integration requestParameters is a SerializationException", async () => {
    const ids = await petsGet();
    const raw = await t.signedFetch("PUT", `/restapis/${ids.restApiId}/resources/${ids.resourceId}/methods/GET/integration`, {
      body: JSON.stringify({ type: "MOCK", requestParameters: { "integration.request.header.x": true } }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(raw.status, 400);
    assert.match(raw.headers.get("x-amzn-errortype") ?? "", /^SerializationException/);
    assert.equal(((await raw.json()) as { message: string }).message, "class java.lang.Boolean can not be converted to an String");
  });

  test("an HTTP_PROXY integration over a VPC link is stored with its connection", async () => {
    const ids = await petsGet();
    const res = await t.ag.send(
      new AG.PutIntegrationCommand({
        ...ids,
        type: "HTTP_PROXY",
        integrationHttpMethod: "GET",
        uri: "http://my-nlb-1234567890abcdef.elb.us-east-1.amazonaws.com",
        connectionType: "VPC_LINK",
        connectionId: "${stageVariables.vpcLinkId}",
      }),
    );
    assert.equal(res.connectionType, "VPC_LINK");
    assert.equal(res.connectionId, "${stageVariables.vpcLinkId}");
    assert.equal((await t.ag.send(new AG.GetIntegrationCommand(ids))).connectionType, "VPC_LINK");
  });

  test("re-putting an integration replaces its settings and keeps its integration responses", async () => {
    const ids = await petsGet();
    await t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }));
    await t.ag.send(new AG.PutIntegrationResponseCommand({ ...ids, statusCode: "200", selectionPattern: "" }));
    const again = await t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "HTTP", integrationHttpMethod: "GET", uri: "https://example.com/pets" }));
    assert.equal(again.type, "HTTP");
    assert.equal(again.requestTemplates, undefined);
    assert.deepEqual(Object.keys(again.integrationResponses ?? {}), ["200"]);
  });

  test("UpdateIntegration edits scalars, templates, parameters and cache keys", async () => {
    const ids = await petsGet();
    await t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "HTTP", integrationHttpMethod: "GET", uri: "https://example.com/a" }));
    const update = (patchOperations: AG.PatchOperation[]) => t.ag.send(new AG.UpdateIntegrationCommand({ ...ids, patchOperations }));
    const res = await update([
      { op: "replace", path: "/uri", value: "https://example.com/b" },
      { op: "replace", path: "/timeoutInMillis", value: "1000" },
      { op: "replace", path: "/passthroughBehavior", value: "NEVER" },
      { op: "add", path: "/requestTemplates/application~1json", value: "{}" },
      { op: "add", path: "/requestParameters/integration.request.header.x-id", value: "method.request.header.x-id" },
      { op: "add", path: "/cacheKeyParameters/method.request.header.x-id" },
      { op: "replace", path: "/tlsConfig/insecureSkipVerification", value: "true" },
    ]);
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.uri, "https://example.com/b");
    assert.equal(res.timeoutInMillis, 1000);
    assert.equal(res.passthroughBehavior, "NEVER");
    assert.deepEqual(res.requestTemplates, { "application/json": "{}" });
    assert.deepEqual(res.requestParameters, { "integration.request.header.x-id": "method.request.header.x-id" });
    assert.deepEqual(res.cacheKeyParameters, ["method.request.header.x-id"]);
    assert.equal(res.tlsConfig?.insecureSkipVerification, true);

    const removed = await update([
      { op: "remove", path: "/requestTemplates/application~1json" },
      { op: "remove", path: "/cacheKeyParameters/method.request.header.x-id" },
    ]);
    assert.equal(removed.requestTemplates, undefined);
    assert.deepEqual(removed.cacheKeyParameters, []);

    await rejectsWith(update([{ op: "replace", path: "/timeoutInMillis", value: "30000" }]), "BadRequestException", 400, "Timeout should be between 50 ms and 29000 ms");
    await rejectsWith(update([{ op: "replace", path: "/uri", value: "nope" }]), "BadRequestException", 400, "Invalid HTTP endpoint specified for URI");
    await rejectsWith(update([{ op: "replace", path: "/type", value: "MOCK" }]), "BadRequestException", 400, "Invalid patch path /type");
    await rejectsWith(update([{ op: "add", path: "/uri", value: "https://x.test" }]), "BadRequestException", 400, "Invalid patch operation specified. Must be one of: [replace]");
    assert.equal((await t.ag.send(new AG.GetIntegrationCommand(ids))).uri, "https://example.com/b");
  });

  test("integration responses: 201 on Put, AWS's shape, update, one default pattern, 204 on delete", async () => {
    const ids = await petsGet();
    await t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "MOCK" }));
    const { $metadata, ...created } = await t.ag.send(
      new AG.PutIntegrationResponseCommand({ ...ids, statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '"created"' } }),
    );
    assert.equal($metadata.httpStatusCode, 201);
    assert.deepEqual(created, { statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '"created"' } });

    await rejectsWith(
      t.ag.send(new AG.PutIntegrationResponseCommand({ ...ids, statusCode: "500" })),
      "ConflictException",
      409,
      "Integration response with selection pattern default already exists",
    );
    const error = await t.ag.send(new AG.PutIntegrationResponseCommand({ ...ids, statusCode: "500", selectionPattern: "5\\d{2}" }));
    assert.equal(error.selectionPattern, "5\\d{2}");

    const updated = await t.ag.send(
      new AG.UpdateIntegrationResponseCommand({
        ...ids,
        statusCode: "500",
        patchOperations: [
          { op: "replace", path: "/selectionPattern", value: ".*Error.*" },
          { op: "add", path: "/responseParameters/method.response.header.x-err", value: "'yes'" },
          { op: "add", path: "/responseTemplates/text~1plain" },
        ],
      }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 200);
    assert.equal(updated.selectionPattern, ".*Error.*");
    assert.deepEqual(updated.responseParameters, { "method.response.header.x-err": "'yes'" });
    assert.ok(updated.responseTemplates && "text/plain" in updated.responseTemplates);

    const integration = await t.ag.send(new AG.GetIntegrationCommand(ids));
    assert.deepEqual(Object.keys(integration.integrationResponses ?? {}), ["200", "500"]);
    const raw = await t.signedFetch("GET", `/restapis/${ids.restApiId}/resources/${ids.resourceId}/methods/GET/integration/responses/500`);
    assert.equal(((await raw.json()) as Record<string, unknown>)["seq"], undefined);

    await rejectsWith(
      t.ag.send(new AG.GetIntegrationResponseCommand({ ...ids, statusCode: "404" })),
      "NotFoundException",
      404,
      "Invalid Response status code specified",
    );
    const deleted = await t.ag.send(new AG.DeleteIntegrationResponseCommand({ ...ids, statusCode: "500" }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    await rejectsWith(
      t.ag.send(new AG.DeleteIntegrationResponseCommand({ ...ids, statusCode: "500" })),
      "NotFoundException",
      404,
      "Invalid Response status code specified",
    );
  });

  test("integration response status codes must match [1-5]\\d\\d", async () => {
    const ids = await petsGet();
    await t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "MOCK" }));
    await assert.rejects(t.ag.send(new AG.PutIntegrationResponseCommand({ ...ids, statusCode: "wrong" })), (err: AG.APIGatewayServiceException) => {
      assert.equal(err.name, "ValidationException");
      assert.equal(
        err.message,
        "1 validation error detected: Value 'wrong' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d",
      );
      return true;
    });
  });

  test("DeleteIntegration answers 204 and takes the integration responses with it", async () => {
    const ids = await petsGet();
    await t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "MOCK" }));
    await t.ag.send(new AG.PutIntegrationResponseCommand({ ...ids, statusCode: "200" }));
    assert.equal((await t.ag.send(new AG.DeleteIntegrationCommand(ids))).$metadata.httpStatusCode, 204);
    await rejectsWith(t.ag.send(new AG.GetIntegrationCommand(ids)), "NotFoundException", 404, "Invalid Integration identifier specified");
    const fresh = await t.ag.send(new AG.PutIntegrationCommand({ ...ids, type: "MOCK" }));
    assert.equal(fresh.integrationResponses, undefined);
  });
});
