// Custom domain names on the data plane (data-plane.md §2.2): domains and base path mappings made with the SDK,
// requests sent with the domain as Host over HTTPS.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { dataRequest, deployApi, userPath, type DataResponse, type MethodSpec } from "../helpers/dataplane.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const CERT = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555";
const DOMAIN = "api.example.test";

/** A MOCK method answering which API served it and how it saw the request. */
const echo = (path: string, api: string): MethodSpec => ({
  path,
  httpMethod: "GET",
  integration: { type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } },
  responses: [
    {
      statusCode: "200",
      selectionPattern: "",
      responseTemplates: {
        "application/json": `{"api":"${api}","path":"$context.path","resourcePath":"$context.resourcePath","stage":"$context.stage","domain":"$context.domainName","id":"$input.params('id')"}`,
      },
    },
  ],
});

describe("custom domain names", () => {
  let t: TestGateway;
  let one: string;
  let two: string;
  const onDomain = async (path: string, host = DOMAIN): Promise<DataResponse> => dataRequest(t, path, { host });
  const json = (res: DataResponse): Record<string, string> => JSON.parse(res.body) as Record<string, string>;
  const settled = async (): Promise<void> => {
    await t.gw.dataPlane.customDomains.settled();
    await t.gw.dataPlane.registry.settled();
  };

  before(async () => {
    t = await startTestGateway();
    ({ apiId: one } = await deployApi(t, [echo("/", "one"), echo("/customers", "one")], { stage: "prod" }));
    ({ apiId: two } = await deployApi(t, [echo("/", "two"), echo("/{id}", "two")], { stage: "prod" }));
    await t.ag.send(new AG.CreateDomainNameCommand({ domainName: DOMAIN, regionalCertificateArn: CERT, endpointConfiguration: { types: ["REGIONAL"] } }));
    await t.ag.send(new AG.CreateBasePathMappingCommand({ domainName: DOMAIN, restApiId: one, stage: "prod" }));
    await t.ag.send(new AG.CreateBasePathMappingCommand({ domainName: DOMAIN, basePath: "orders", restApiId: two, stage: "prod" }));
    await t.ag.send(new AG.CreateBasePathMappingCommand({ domainName: DOMAIN, basePath: "legacy", restApiId: two }));
    await settled();
  });
  after(async () => {
    await t.close();
  });

  test("the (none) mapping serves paths no base path claims; the stage comes from the mapping", async () => {
    const res = await onDomain("/customers");
    assert.equal(res.status, 200);
    assert.deepEqual(json(res), { api: "one", path: "/customers", resourcePath: "/customers", stage: "prod", domain: DOMAIN, id: "" });
    assert.equal(json(await onDomain("/")).resourcePath, "/");
    // Host names compare case-insensitively and without the port.
    assert.equal(json(await onDomain("/customers", `API.Example.Test:${t.gw.dataPort}`)).api, "one");
  });

  test("a base path is stripped before routing; $context.path keeps it", async () => {
    assert.deepEqual(json(await onDomain("/orders")), { api: "two", path: "/orders", resourcePath: "/", stage: "prod", domain: DOMAIN, id: "" });
    assert.deepEqual(json(await onDomain("/orders/42")), { api: "two", path: "/orders/42", resourcePath: "/{id}", stage: "prod", domain: DOMAIN, id: "42" });
  });

  test("a mapping without a stage takes the stage from the path", async () => {
    const res = await onDomain("/legacy/prod/7");
    assert.equal(json(res).api, "two");
    assert.equal(json(res).id, "7");
    assert.equal((await onDomain("/legacy")).status, 403);
    assert.equal((await onDomain("/legacy/nostage/7")).status, 403);
  });

  test("disableExecuteApiEndpoint closes the default endpoint but not the custom domain", async () => {
    await t.ag.send(new AG.UpdateRestApiCommand({ restApiId: two, patchOperations: [{ op: "replace", path: "/disableExecuteApiEndpoint", value: "true" }] }));
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: two, stageName: "prod" }));
    await settled();
    const direct = await dataRequest(t, userPath(two, "prod", "/42"));
    assert.equal(direct.status, 403);
    assert.equal(direct.body, '{"message":"Forbidden"}');
    assert.equal((await onDomain("/orders/42")).status, 200);
  });

  test("without a matching mapping: 403 Forbidden; mapping changes apply without a restart", async () => {
    await t.ag.send(new AG.DeleteBasePathMappingCommand({ domainName: DOMAIN, basePath: "(none)" }));
    await settled();
    const res = await onDomain("/customers");
    assert.equal(res.status, 403);
    assert.equal(res.body, '{"message":"Forbidden"}');
    assert.equal((await onDomain("/orders/1")).status, 200, "other mappings still serve");
    await t.ag.send(new AG.DeleteDomainNameCommand({ domainName: DOMAIN }));
    await settled();
    assert.equal((await onDomain("/orders/1")).status, 403);
  });
});
