// PRIVATE APIs (data-plane.md §2.4): reached through the VPC endpoint the data plane stands for
// (TOLLGATE_VPC_ENDPOINT_ID), refused to everyone without a resource policy, addressable by the
// `{id}-{vpce}` host and the `x-apigw-api-id` header.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { dataRequest, putMockGet, userPath, type DataResponse } from "../helpers/dataplane.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const VPCE = "vpce-0a1b2c3d4e5f60718";

describe("private APIs", () => {
  let t: TestGateway;
  let apiId: string;
  const call = (init: { path?: string; host?: string; headers?: Record<string, string> } = {}): Promise<DataResponse> =>
    dataRequest(t, init.path ?? userPath(apiId, "test", "/whoami"), { ...(init.host ? { host: init.host } : {}), headers: init.headers ?? {} });
  const deployPolicy = async (statements: object[] | undefined): Promise<void> => {
    const value = statements === undefined ? "" : JSON.stringify({ Version: "2012-10-17", Statement: statements });
    await t.ag.send(new AG.UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: "replace", path: "/policy", value }] }));
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: "test" }));
    await t.gw.dataPlane.registry.settled();
  };

  before(async () => {
    t = await startTestGateway({ TOLLGATE_VPC_ENDPOINT_ID: VPCE });
    const api = await t.ag.send(new AG.CreateRestApiCommand({ name: "private", endpointConfiguration: { types: ["PRIVATE"] } }));
    apiId = api.id!;
    await putMockGet(t, apiId, api.rootResourceId!, "whoami", '{"vpce":"$context.identity.vpceId"}');
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: "test" }));
    await t.gw.dataPlane.registry.settled();
  });
  after(async () => {
    await t.close();
  });

  test("without a resource policy a private API refuses every call", async () => {
    const res = await call();
    assert.equal(res.status, 403);
    assert.equal(res.headers["x-amzn-errortype"], "AccessDeniedException");
    assert.match(res.body, /^\{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: /);
  });

  test("the usual policy (allow, deny outside one endpoint) admits calls through the configured endpoint", async () => {
    await deployPolicy([
      { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
      { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": VPCE } } },
    ]);
    const res = await call();
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { vpce: VPCE });
    await deployPolicy([
      { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
      { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-someotherendpoint" } } },
    ]);
    assert.equal((await call()).status, 403);
  });

  test("addressed by the {id}-{vpce} host or the x-apigw-api-id header", async () => {
    await deployPolicy([{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringEquals: { "aws:SourceVpce": VPCE } } }]);
    assert.equal((await call({ path: "/test/whoami", host: `${apiId}-${VPCE}.execute-api.localhost` })).status, 200);
    assert.equal((await call({ path: "/test/whoami", host: "vpce-dns-name.example", headers: { "x-apigw-api-id": apiId } })).status, 200);
    assert.equal((await call({ path: "/test/whoami", host: "vpce-dns-name.example" })).status, 403);
    // Those forms reach private APIs only.
    const publicApi = await t.ag.send(new AG.CreateRestApiCommand({ name: "public" }));
    await putMockGet(t, publicApi.id!, publicApi.rootResourceId!, "hello", '{"ok":true}');
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: publicApi.id!, stageName: "test" }));
    await t.gw.dataPlane.registry.settled();
    assert.equal((await call({ path: userPath(publicApi.id!, "test", "/hello") })).status, 200);
    const viaHeader = await call({ path: "/test/hello", host: "vpce-dns-name.example", headers: { "x-apigw-api-id": publicApi.id! } });
    assert.equal(viaHeader.status, 403);
    assert.equal(viaHeader.body, '{"message":"Forbidden"}');
    assert.equal((await call({ path: "/test/hello", host: `${publicApi.id!}-${VPCE}.execute-api.localhost` })).status, 403);
  });
});
