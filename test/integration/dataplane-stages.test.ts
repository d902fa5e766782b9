import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { dataRequest, deployApi, startUpstream, userPath, type Upstream } from "../helpers/dataplane.js";

const mockMethod = (path: string, body: string) => ({
  path,
  httpMethod: "GET",
  integration: { type: "MOCK" as const, requestTemplates: { "application/json": '{"statusCode": 200}' } },
  responses: [{ statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": body } }],
});

describe("data plane: deployments, stages and gateway responses", () => {
  let t: TestGateway;
  let upstream: Upstream;
  before(async () => {
    t = await startTestGateway();
    upstream = await startUpstream((_req, res, body) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(body);
    });
  });
  after(async () => {
    await t.close();
    await upstream.close();
  });

  test("a new deployment is served once the stage points at it; the old one keeps serving until then", async () => {
    const { apiId, resources } = await deployApi(t, [mockMethod("/v", '{"v":1}')]);
    assert.equal((await dataRequest(t, userPath(apiId, "test", "/v"))).body, '{"v":1}');
    await t.ag.send(
      new AG.PutIntegrationResponseCommand({ restApiId: apiId, resourceId: resources.get("/v")!, httpMethod: "GET", statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"v":2}' } }),
    );
    await t.gw.dataPlane.registry.settled();
    assert.equal((await dataRequest(t, userPath(apiId, "test", "/v"))).body, '{"v":1}', "the draft is not live");
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: "test" }));
    await t.gw.dataPlane.registry.settled();
    assert.equal((await dataRequest(t, userPath(apiId, "test", "/v"))).body, '{"v":2}');
    await t.ag.send(new AG.DeleteStageCommand({ restApiId: apiId, stageName: "test" }));
    await t.gw.dataPlane.registry.settled();
    assert.equal((await dataRequest(t, userPath(apiId, "test", "/v"))).status, 403);
  });

  test("a customised MISSING_AUTHENTICATION_TOKEN response (404 + header) applies after deployment", async () => {
    const { apiId } = await deployApi(t, [mockMethod("/here", "{}")]);
    await t.ag.send(
      new AG.PutGatewayResponseCommand({
        restApiId: apiId,
        responseType: "MISSING_AUTHENTICATION_TOKEN",
        statusCode: "404",
        responseParameters: { "gatewayresponse.header.Access-Control-Allow-Origin": "'*'" },
        responseTemplates: { "application/json": '{"error": $context.error.messageString, "path": "$context.path"}' },
      }),
    );
    await t.ag.send(new AG.PutGatewayResponseCommand({ restApiId: apiId, responseType: "DEFAULT_5XX", responseParameters: { "gatewayresponse.header.x-five": "'yes'" } }));
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: "test" }));
    await t.gw.dataPlane.registry.settled();
    const res = await dataRequest(t, userPath(apiId, "test", "/not-here"));
    assert.equal(res.status, 404);
    assert.equal(res.headers["access-control-allow-origin"], "*");
    assert.equal(res.body, '{"error": "Missing Authentication Token", "path": "/test/not-here"}');
    assert.equal(res.headers["x-amzn-errortype"], "MissingAuthenticationTokenException");
  });

  test("a canary at 100% serves the canary deployment with its stage-variable overrides", async () => {
    const { apiId, resources } = await deployApi(t, [mockMethod("/c", '{"d":"base","v":"$stageVariables.v","canary":"$context.isCanaryRequest"}')], { variables: { v: "stage" } });
    await t.ag.send(
      new AG.PutIntegrationResponseCommand({ restApiId: apiId, resourceId: resources.get("/c")!, httpMethod: "GET", statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"d":"canary","v":"$stageVariables.v","canary":"$context.isCanaryRequest"}' } }),
    );
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: "test", canarySettings: { percentTraffic: 100, stageVariableOverrides: { v: "override" } } }));
    await t.gw.dataPlane.registry.settled();
    const res = await dataRequest(t, userPath(apiId, "test", "/c"));
    assert.equal(res.body, '{"d":"canary","v":"override","canary":"true"}');
  });

  test("disableExecuteApiEndpoint answers 403 Forbidden on the default endpoint", async () => {
    const { apiId } = await deployApi(t, [mockMethod("/x", "{}")]);
    await t.ag.send(new AG.UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: "replace", path: "/disableExecuteApiEndpoint", value: "true" }] }));
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: "test" }));
    await t.gw.dataPlane.registry.settled();
    const res = await dataRequest(t, "/test/x", { host: `${apiId}.execute-api.localhost` });
    assert.equal(res.status, 403);
    assert.equal(res.body, '{"message":"Forbidden"}');
  });

  test("binary bodies pass through an HTTP_PROXY integration byte for byte", async () => {
    const { apiId } = await deployApi(t, [
      { path: "/bin", httpMethod: "POST", integration: { type: "HTTP_PROXY", integrationHttpMethod: "POST", uri: `${upstream.url}/bin` } },
    ], { binaryMediaTypes: ["application/octet-stream"] });
    const bytes = Buffer.from([0, 255, 1, 254, 10, 13, 0x80]);
    const res = await dataRequest(t, userPath(apiId, "test", "/bin"), { method: "POST", body: bytes, headers: { "content-type": "application/octet-stream" } });
    assert.equal(res.status, 200);
    assert.deepEqual(res.raw, bytes);
  });

  test("a client-supplied UUID x-amzn-RequestId is used; anything else is replaced", async () => {
    const { apiId } = await deployApi(t, [mockMethod("/id", "{}")]);
    const id = "0b7f8e2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    assert.equal((await dataRequest(t, userPath(apiId, "test", "/id"), { headers: { "x-amzn-requestid": id } })).headers["x-amzn-requestid"], id);
    assert.notEqual((await dataRequest(t, userPath(apiId, "test", "/id"), { headers: { "x-amzn-requestid": "not-a-uuid" } })).headers["x-amzn-requestid"], "not-a-uuid");
  });
});
