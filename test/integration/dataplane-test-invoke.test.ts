import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { startUpstream, type Upstream } from "../helpers/dataplane.js";

describe("TestInvokeMethod", () => {
  let t: TestGateway;
  let upstream: Upstream;
  before(async () => {
    t = await startTestGateway();
    upstream = await startUpstream();
  });
  after(async () => {
    await t.close();
    await upstream.close();
  });

  /** The "pets API" fixture of sdk-conformance.md. */
  async function petsApi(): Promise<{ restApiId: string; petsId: string }> {
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "pets" }));
    const restApiId = api.id!;
    const pets = await t.ag.send(new AG.CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: "pets" }));
    const petsId = pets.id!;
    await t.ag.send(new AG.PutMethodCommand({ restApiId, resourceId: petsId, httpMethod: "GET", authorizationType: "NONE" }));
    await t.ag.send(new AG.PutIntegrationCommand({ restApiId, resourceId: petsId, httpMethod: "GET", type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }));
    await t.ag.send(new AG.PutMethodResponseCommand({ restApiId, resourceId: petsId, httpMethod: "GET", statusCode: "200" }));
    await t.ag.send(
      new AG.PutIntegrationResponseCommand({ restApiId, resourceId: petsId, httpMethod: "GET", statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"ok":true}' } }),
    );
    return { restApiId, petsId };
  }

  test("scenario 28: a MOCK method of the draft answers 200 with its body, latency and log", async () => {
    const { restApiId, petsId } = await petsApi();
    const res = await t.ag.send(new AG.TestInvokeMethodCommand({ restApiId, resourceId: petsId, httpMethod: "GET", pathWithQueryString: "/pets" }));
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"ok":true}');
    assert.equal(typeof res.latency, "number");
    assert.match(res.log ?? "", /Method completed with status: 200/);
    assert.match(res.log ?? "", /Starting execution for request: /);
    assert.equal(res.headers?.["Content-Type"], "application/json");
    assert.deepEqual(res.multiValueHeaders?.["Content-Type"], ["application/json"]);
  });

  test("it runs the draft, not a deployment: an undeployed change is visible", async () => {
    const { restApiId, petsId } = await petsApi();
    await t.ag.send(
      new AG.PutIntegrationResponseCommand({ restApiId, resourceId: petsId, httpMethod: "GET", statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"v":"$stageVariables.v","q":"$input.params(\'q\')"}' } }),
    );
    const res = await t.ag.send(new AG.TestInvokeMethodCommand({ restApiId, resourceId: petsId, httpMethod: "GET", pathWithQueryString: "/pets?q=z", stageVariables: { v: "draft" } }));
    assert.equal(res.body, '{"v":"draft","q":"z"}');
    assert.match(res.log ?? "", /Method request query string: \{q=z\}/);
  });

  test("a failing backend is status 500 inside a 200 answer", async () => {
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "broken" }));
    const restApiId = api.id!;
    const r = await t.ag.send(new AG.CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: "{id}" }));
    await t.ag.send(new AG.PutMethodCommand({ restApiId, resourceId: r.id!, httpMethod: "GET", authorizationType: "NONE" }));
    await t.ag.send(new AG.PutIntegrationCommand({ restApiId, resourceId: r.id!, httpMethod: "GET", type: "HTTP_PROXY", integrationHttpMethod: "GET", uri: "http://127.0.0.1:1/x" }));
    const res = await t.ag.send(new AG.TestInvokeMethodCommand({ restApiId, resourceId: r.id!, httpMethod: "GET", pathWithQueryString: "/42" }));
    assert.equal(res.$metadata.httpStatusCode, 200);
    assert.equal(res.status, 500);
    assert.equal(res.body, '{"message": "Internal server error"}');
    assert.equal(res.headers?.["x-amzn-ErrorType"], "InternalServerErrorException");
    assert.match(res.log ?? "", /Execution failed due to configuration error: Invalid endpoint address/);
  });

  test("an HTTP_PROXY method of the draft reaches its backend with the path parameters", async () => {
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "proxy" }));
    const restApiId = api.id!;
    const r = await t.ag.send(new AG.CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart: "{id}" }));
    await t.ag.send(new AG.PutMethodCommand({ restApiId, resourceId: r.id!, httpMethod: "GET", authorizationType: "NONE", requestParameters: { "method.request.path.id": true } }));
    await t.ag.send(
      new AG.PutIntegrationCommand({ restApiId, resourceId: r.id!, httpMethod: "GET", type: "HTTP_PROXY", integrationHttpMethod: "GET", uri: `${upstream.url}/items/{id}`, requestParameters: { "integration.request.path.id": "method.request.path.id" } }),
    );
    const res = await t.ag.send(new AG.TestInvokeMethodCommand({ restApiId, resourceId: r.id!, httpMethod: "GET", pathWithQueryString: "/42?a=b", headers: { "X-Test": "1" } }));
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"hello":"from upstream"}');
    assert.equal(upstream.seen.at(-1)?.url, "/items/42?a=b");
    assert.equal(upstream.seen.at(-1)?.headers["x-test"], "1");
  });

  test("an unknown resource or method is NotFoundException", async () => {
    const { restApiId, petsId } = await petsApi();
    await assert.rejects(t.ag.send(new AG.TestInvokeMethodCommand({ restApiId, resourceId: "nope00", httpMethod: "GET" })), (err: Error) => err.name === "NotFoundException" && err.message === "Invalid Resource identifier specified");
    await assert.rejects(t.ag.send(new AG.TestInvokeMethodCommand({ restApiId, resourceId: petsId, httpMethod: "POST" })), (err: Error) => err.name === "NotFoundException" && err.message === "Invalid Method identifier specified");
  });
});
