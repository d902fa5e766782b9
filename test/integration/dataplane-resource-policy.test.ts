// Resource policies (data-plane.md §4): the API's policy, deployed with it, evaluated per request over HTTPS.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { SignatureV4 } from "@smithy/signature-v4";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { dataRequest, deployApi, userPath, type DataResponse, type MethodSpec } from "../helpers/dataplane.js";
import { REGION, TEST_CREDENTIALS, startTestGateway, type TestGateway } from "../helpers/gateway.js";

const ok = (path: string, authorizationType = "NONE"): MethodSpec => ({
  path,
  httpMethod: "GET",
  authorizationType,
  integration: { type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } },
  responses: [{ statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"ok":true}' } }],
});

const allowAll = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" };

describe("resource policies", () => {
  let t: TestGateway;
  let apiId: string;
  let stage: string;
  const get = (path: string, headers: Record<string, string> = {}): Promise<DataResponse> => dataRequest(t, userPath(apiId, stage, path), { headers });
  const signedGet = async (path: string): Promise<DataResponse> => {
    const target = userPath(apiId, stage, path);
    const host = `localhost:${t.gw.dataPort}`;
    const signer = new SignatureV4({ service: "execute-api", region: REGION, credentials: TEST_CREDENTIALS, sha256: Hash.bind(null, "sha256") });
    const signed = (await signer.sign(new HttpRequest({ method: "GET", hostname: "localhost", port: t.gw.dataPort, path: target, headers: { host } }))) as HttpRequest;
    return dataRequest(t, target, { headers: signed.headers as Record<string, string> });
  };
  /** Sets the policy and deploys it: a policy only applies from the next deployment. */
  const deployPolicy = async (statements: object[] | undefined): Promise<void> => {
    const value = statements === undefined ? "" : JSON.stringify({ Version: "2012-10-17", Statement: statements });
    await t.ag.send(new AG.UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: "replace", path: "/policy", value }] }));
    await t.ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: stage }));
    await t.gw.dataPlane.registry.settled();
  };
  const arnOf = (path: string): string => `arn:aws:execute-api:us-east-1:********0000:${apiId}/${stage}/GET${path}`;

  before(async () => {
    t = await startTestGateway();
    ({ apiId, stage } = await deployApi(t, [ok("/open"), ok("/admin"), ok("/iam", "AWS_IAM")]));
  });
  after(async () => {
    await t.close();
  });

  test("without a policy NONE methods are open; a policy that allows nothing for them refuses with AWS's text", async () => {
    assert.equal((await get("/open")).status, 200);
    await deployPolicy([{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*/GET/admin" }]);
    const res = await get("/open");
    assert.equal(res.status, 403);
    assert.equal(res.headers["x-amzn-errortype"], "AccessDeniedException");
    assert.equal(res.body, `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arnOf("/open")}"}`);
    assert.equal((await get("/admin")).status, 200);
  });

  test("an explicit Deny wins over an Allow; conditions on the source IP and the user agent", async () => {
    await deployPolicy([
      allowAll,
      { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*/GET/admin", Condition: { NotIpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } } },
      { Effect: "Deny", Principal: "*", Action: "execute-api:*", Resource: "execute-api:/*", Condition: { StringLike: { "aws:UserAgent": "*bot*" } } },
    ]);
    assert.equal((await get("/open")).status, 200);
    const admin = await get("/admin");
    assert.equal(admin.status, 403);
    assert.equal(admin.body, `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: ${arnOf("/admin")} with an explicit deny"}`);
    assert.equal((await get("/open", { "user-agent": "crawler-bot/1.0" })).status, 403);
  });

  test("IpAddress allows the ranges it names only", async () => {
    await deployPolicy([{ ...allowAll, Condition: { IpAddress: { "aws:SourceIp": ["127.0.0.0/8", "::1/128"] } } }]);
    assert.equal((await get("/open")).status, 200);
    await deployPolicy([{ ...allowAll, Condition: { IpAddress: { "aws:SourceIp": "192.0.2.0/24" } } }]);
    assert.equal((await get("/open")).status, 403);
  });

  test("AWS_IAM methods are refused only by an explicit Deny, before their signature is checked", async () => {
    await deployPolicy([{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*/GET/open" }]);
    assert.equal((await signedGet("/iam")).status, 200, "no Allow for it, but the signature allows");
    await deployPolicy([allowAll, { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*/GET/iam" }]);
    const denied = await signedGet("/iam");
    assert.equal(denied.status, 403);
    assert.match(denied.body, /with an explicit deny"}$/);
    assert.equal((await get("/iam")).status, 403, "denied before the missing signature is even noticed");
  });

  test("a policy edit applies from the next deployment; removing it opens the API again", async () => {
    await t.ag.send(new AG.UpdateRestApiCommand({ restApiId: apiId, patchOperations: [{ op: "replace", path: "/policy", value: "" }] }));
    assert.equal((await get("/open")).status, 200, "still the deployed policy (which allows /open)");
    assert.equal((await get("/admin")).status, 200);
    await deployPolicy(undefined);
    assert.equal((await get("/admin")).status, 200);
  });
});
