// Lambda authorizers over HTTPS (data-plane.md §5.3): TOKEN and REQUEST identity checks, the policy decision with
// AWS's exact 401/403/500 bodies, context propagation to proxy events and templates, result caching (including
// the `{proxy+}` pitfall and FlushStageAuthorizersCache), and TestInvokeAuthorizer.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as AG from "@aws-sdk/client-api-gateway";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { dataRequest, userPath } from "../helpers/dataplane.js";
import { createFunction, functionArn, invocationUri } from "../helpers/lambda-dataplane.js";

// The token (or the REQUEST `auth` header) is `{verdict}:{anything}`; every call is appended to $CALLS.
const AUTHORIZER_JS = `
const fs = require("node:fs");
exports.handler = async (event) => {
  const token = event.type === "TOKEN" ? event.authorizationToken : event.headers.auth;
  fs.appendFileSync(process.env.CALLS, token + "\\n");
  const verdict = token.split(":")[0];
  const [arnBase] = event.methodArn.split("/");
  const policy = (effect, resource) => ({ Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: effect, Resource: resource }] });
  const context = { stringKey: "value", numberKey: 1, booleanKey: true, eventType: event.type, hasBody: String("body" in event), resource: event.resource || "", token: token, methodArn: event.methodArn };
  if (event.type === "REQUEST") context.tenant = event.queryStringParameters.tenant;
  switch (verdict) {
    case "allow": return { principalId: "user-123", policyDocument: policy("Allow", arnBase + "/*/*"), context, usageIdentifierKey: "tollgate-authorizer-key-0123456789" };
    case "nokey": return { principalId: "user-123", policyDocument: policy("Allow", "*") };
    case "list": return { principalId: 42, context, policyDocument: { Statement: { Action: ["s3:Get*", "execute-api:*"], Effect: "Allow", Resource: [arnBase + "/*/GET/token/*"] } } };
    case "deny": return { principalId: "user-123", policyDocument: { Statement: [policy("Allow", "*").Statement[0], policy("Deny", arnBase + "/*").Statement[0]] } };
    case "nomatch": return { principalId: "user-123", policyDocument: policy("Allow", arnBase + "/other-stage/*") };
    case "first": return { principalId: "user-123", policyDocument: policy("Allow", event.methodArn) };
    case "unauthorized": throw new Error("Unauthorized");
    case "boom": throw new Error("boom");
    case "malformed": return { principalId: "user-123" };
    case "badcontext": return { principalId: "u", policyDocument: policy("Allow", "*"), context: { nested: { a: 1 } } };
    default: return "not an object";
  }
};
`;
const ECHO_JS = `exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });`;

type Json = Record<string, unknown>;

describe("Lambda authorizers", () => {
  let t: TestGateway;
  let apiId: string;
  let calls: string;
  const authorizers: Record<string, string> = {};
  const resourceIds = new Map<string, string>();
  let apiKeyId: string;

  before(async () => {
    t = await startTestGateway();
    calls = join(t.dataDir, "authorizer-calls.txt");
    const authArn = await createFunction(t, "auth-fn", { "index.js": AUTHORIZER_JS }, { environment: { CALLS: calls } });
    const echoArn = await createFunction(t, "echo-fn", { "index.js": ECHO_JS });
    const ag = t.ag;
    const api = await ag.send(new AG.CreateRestApiCommand({ name: "authorized", apiKeySource: "AUTHORIZER" }));
    apiId = api.id!;
    const authorizer = async (name: string, input: Partial<AG.CreateAuthorizerRequest>) => {
      const created = await ag.send(
        new AG.CreateAuthorizerCommand({
          restApiId: apiId,
          name,
          type: "TOKEN",
          authorizerUri: invocationUri(authArn),
          identitySource: "method.request.header.Authorization",
          ...input,
        }),
      );
      authorizers[name] = created.id!;
      return created.id!;
    };
    await authorizer("cached", { authorizerResultTtlInSeconds: 300 });
    await authorizer("uncached", { authorizerResultTtlInSeconds: 0 });
    await authorizer("validated", { authorizerResultTtlInSeconds: 0, identityValidationExpression: "(allow|deny):[a-z0-9]+" });
    await authorizer("request", { type: "REQUEST", identitySource: "method.request.header.auth, method.request.querystring.tenant", authorizerResultTtlInSeconds: 300 });
    await authorizer("missing", { authorizerUri: invocationUri(functionArn("no-such-authorizer")), authorizerResultTtlInSeconds: 0 });

    const resources = resourceIds;
    const resourceFor = async (path: string): Promise<string> => {
      let parent = api.rootResourceId!;
      let sofar = "";
      for (const part of path.split("/").filter(Boolean)) {
        sofar += "/" + part;
        let id = resources.get(sofar);
        if (!id) {
          id = (await ag.send(new AG.CreateResourceCommand({ restApiId: apiId, parentId: parent, pathPart: part }))).id!;
          resources.set(sofar, id);
        }
        parent = id;
      }
      return parent;
    };
    const method = async (path: string, verb: string, authorizerName: string, integration: Partial<AG.PutIntegrationRequest> = {}, apiKeyRequired = false) => {
      const resourceId = await resourceFor(path);
      await ag.send(
        new AG.PutMethodCommand({ restApiId: apiId, resourceId, httpMethod: verb, authorizationType: "CUSTOM", authorizerId: authorizers[authorizerName], apiKeyRequired }),
      );
      await ag.send(
        new AG.PutIntegrationCommand({
          restApiId: apiId,
          resourceId,
          httpMethod: verb,
          type: "AWS_PROXY",
          integrationHttpMethod: "POST",
          uri: invocationUri(echoArn),
          ...integration,
        }),
      );
      if (integration.type === "MOCK") {
        await ag.send(new AG.PutMethodResponseCommand({ restApiId: apiId, resourceId, httpMethod: verb, statusCode: "200" }));
        await ag.send(
          new AG.PutIntegrationResponseCommand({
            restApiId: apiId,
            resourceId,
            httpMethod: verb,
            statusCode: "200",
            responseTemplates: {
              "application/json": '{"principal": "$context.authorizer.principalId", "stringKey": "$context.authorizer.stringKey", "numberKey": "$context.authorizer.numberKey"}',
            },
          }),
        );
      }
    };
    await method("/token/{proxy+}", "ANY", "cached");
    await method("/nocache", "GET", "uncached");
    await method("/validated", "GET", "validated");
    await method("/request", "GET", "request");
    await method("/missing", "GET", "missing");
    await method("/mock", "GET", "uncached", { type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } });
    await method("/keyed", "GET", "uncached", {}, true);
    await ag.send(new AG.CreateDeploymentCommand({ restApiId: apiId, stageName: "test" }));
    const key = await ag.send(new AG.CreateApiKeyCommand({ name: "from-authorizer", enabled: true, value: "tollgate-authorizer-key-0123456789" }));
    apiKeyId = key.id!;
    const plan = await ag.send(new AG.CreateUsagePlanCommand({ name: "authorizer-plan", apiStages: [{ apiId, stage: "test" }] }));
    await ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: apiKeyId, keyType: "API_KEY" }));
    await t.gw.dataPlane.registry.settled();
  });
  after(async () => {
    await t.close();
  });

  const call = (path: string, headers: Record<string, string> = {}) => dataRequest(t, userPath(apiId, "test", path), { headers });
  const callsFor = (token: string): number => (existsSync(calls) ? readFileSync(calls, "utf8").split("\n").filter((l) => l === token).length : 0);

  describe("TOKEN", () => {
    test("an allowing policy lets the request through with principalId and stringified context in the event", async () => {
      const res = await call("/nocache", { Authorization: "allow:a1" });
      assert.equal(res.status, 200);
      const authorizer = ((JSON.parse(res.body) as Json)["requestContext"] as Json)["authorizer"] as Json;
      assert.equal(authorizer["principalId"], "user-123");
      assert.equal(authorizer["stringKey"], "value");
      assert.equal(authorizer["numberKey"], "1");
      assert.equal(authorizer["booleanKey"], "true");
      assert.equal(authorizer["eventType"], "TOKEN");
      assert.equal(typeof authorizer["integrationLatency"], "number");
    });

    test("the TOKEN event carries type, authorizationToken as sent and the request's method ARN", async () => {
      const res = await dataRequest(t, userPath(apiId, "test", "/token/some/where"), { method: "DELETE", headers: { Authorization: "list:raw Bearer x" } });
      assert.equal(res.status, 403, "the policy only allows GET /token/*");
      const ok = await call("/token/some/where", { Authorization: "list:raw Bearer x" });
      assert.equal(ok.status, 200, "Action lists with wildcards and a single Statement object are understood");
      const authorizer = ((JSON.parse(ok.body) as Json)["requestContext"] as Json)["authorizer"] as Json;
      assert.equal(authorizer["principalId"], "42", "a numeric principalId is a string downstream");
      assert.equal(authorizer["token"], "list:raw Bearer x", "the header value as sent, nothing stripped");
      // The authorizer is cached: its context (and the method ARN it saw) is the first request's, the DELETE.
      assert.equal(authorizer["methodArn"], `arn:aws:execute-api:us-east-1:000000000000:${apiId}/test/DELETE/token/some/where`);
    });

    test("a missing or empty token is 401 Unauthorized without calling the function", async () => {
      const before = existsSync(calls) ? readFileSync(calls, "utf8") : "";
      for (const headers of [{}, { Authorization: "" }] as Record<string, string>[]) {
        const res = await call("/nocache", headers);
        assert.equal(res.status, 401);
        assert.equal(res.body, '{"message":"Unauthorized"}');
        assert.equal(res.headers["x-amzn-errortype"], "UnauthorizedException");
      }
      assert.equal(existsSync(calls) ? readFileSync(calls, "utf8") : "", before);
    });

    test("a token failing identityValidationExpression is 401 without calling the function", async () => {
      const res = await call("/validated", { Authorization: "allow:NOT-lower" });
      assert.equal(res.status, 401);
      assert.equal(callsFor("allow:NOT-lower"), 0);
      const ok = await call("/validated", { Authorization: "allow:v1" });
      assert.equal(ok.status, 200);
      assert.equal(callsFor("allow:v1"), 1);
    });

    test("an explicit Deny is 403 with AWS's capitalised Message", async () => {
      const res = await call("/nocache", { Authorization: "deny:d1" });
      assert.equal(res.status, 403);
      assert.equal(res.body, '{"Message":"User is not authorized to access this resource with an explicit deny"}');
      assert.equal(res.headers["x-amzn-errortype"], "AccessDeniedException");
    });

    test("a policy without a matching Allow is 403", async () => {
      const res = await call("/nocache", { Authorization: "nomatch:n1" });
      assert.equal(res.status, 403);
      assert.equal(res.body, '{"Message":"User is not authorized to access this resource"}');
    });

    test("the function failing with 'Unauthorized' is 401", async () => {
      const res = await call("/nocache", { Authorization: "unauthorized:u1" });
      assert.equal(res.status, 401);
      assert.equal(res.body, '{"message":"Unauthorized"}');
    });

    for (const [what, token] of [
      ["any other function error", "boom:b1"],
      ["an output without a policy", "malformed:m1"],
      ["a context value that is an object", "badcontext:c1"],
      ["an output that is not an object", "other:o1"],
    ]) {
      test(`${what} is 500 AUTHORIZER_CONFIGURATION_ERROR`, async () => {
        const res = await call("/nocache", { Authorization: token! });
        assert.equal(res.status, 500);
        assert.equal(res.body, '{"message": null}');
        assert.equal(res.headers["x-amzn-errortype"], "AuthorizerConfigurationException");
      });
    }

    test("an authorizer function that does not exist is 500 AUTHORIZER_CONFIGURATION_ERROR", async () => {
      const res = await call("/missing", { Authorization: "allow:x" });
      assert.equal(res.status, 500);
      assert.equal(res.body, '{"message": null}');
    });

    test("$context.authorizer reaches mapping templates", async () => {
      const res = await call("/mock", { Authorization: "allow:t1" });
      assert.equal(res.status, 200);
      assert.deepEqual(JSON.parse(res.body), { principal: "user-123", stringKey: "value", numberKey: "1" });
    });
  });

  describe("caching", () => {
    test("a cached result is reused for the same token and not for another", async () => {
      assert.equal((await call("/token/a", { Authorization: "allow:c1" })).status, 200);
      assert.equal((await call("/token/b", { Authorization: "allow:c1" })).status, 200);
      assert.equal(callsFor("allow:c1"), 1);
      assert.equal((await call("/token/a", { Authorization: "allow:c2" })).status, 200);
      assert.equal(callsFor("allow:c2"), 1);
    });

    test("with TTL 0 every request calls the function", async () => {
      await call("/nocache", { Authorization: "allow:z1" });
      await call("/nocache", { Authorization: "allow:z1" });
      assert.equal(callsFor("allow:z1"), 2);
    });

    test("the {proxy+} pitfall: a cached policy for one method ARN denies the next path", async () => {
      assert.equal((await call("/token/first", { Authorization: "first:p1" })).status, 200);
      const second = await call("/token/second", { Authorization: "first:p1" });
      assert.equal(second.status, 403);
      assert.equal(second.body, '{"Message":"User is not authorized to access this resource"}');
      assert.equal(callsFor("first:p1"), 1, "the cached policy was re-evaluated, not the function called again");
    });

    test("FlushStageAuthorizersCache makes the next request call the function again", async () => {
      await call("/token/f", { Authorization: "allow:f1" });
      await call("/token/f", { Authorization: "allow:f1" });
      assert.equal(callsFor("allow:f1"), 1);
      await t.ag.send(new AG.FlushStageAuthorizersCacheCommand({ restApiId: apiId, stageName: "test" }));
      await call("/token/f", { Authorization: "allow:f1" });
      assert.equal(callsFor("allow:f1"), 2);
    });
  });

  describe("REQUEST", () => {
    test("with caching every identity source is required: a missing one is 401 without a call", async () => {
      const res = await call("/request", { auth: "allow:r0" });
      assert.equal(res.status, 401);
      assert.equal(callsFor("allow:r0"), 0);
    });

    test("the REQUEST event is the proxy event without a body, and the identity tuple is the cache key", async () => {
      const first = await call("/request?tenant=t1", { auth: "allow:r1" });
      assert.equal(first.status, 200);
      const authorizer = ((JSON.parse(first.body) as Json)["requestContext"] as Json)["authorizer"] as Json;
      assert.equal(authorizer["eventType"], "REQUEST");
      assert.equal(authorizer["hasBody"], "false");
      assert.equal(authorizer["resource"], "/request");
      assert.equal(authorizer["tenant"], "t1");
      await call("/request?tenant=t1", { auth: "allow:r1" });
      assert.equal(callsFor("allow:r1"), 1);
      const other = await call("/request?tenant=t2", { auth: "allow:r1" });
      assert.equal((((JSON.parse(other.body) as Json)["requestContext"] as Json)["authorizer"] as Json)["tenant"], "t2");
      assert.equal(callsFor("allow:r1"), 2, "changing one identity source is a new cache entry");
    });
  });

  test("with apiKeySource AUTHORIZER the authorizer's usageIdentifierKey is the API key", async () => {
    let res = await call("/keyed", { Authorization: "allow:k1" });
    // The key registry follows the store's change feed; give it a moment after the key was created.
    for (let i = 0; i < 20 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      res = await call("/keyed", { Authorization: "allow:k1" });
    }
    assert.equal(res.status, 200);
    const identity = ((JSON.parse(res.body) as Json)["requestContext"] as Json)["identity"] as Json;
    assert.equal(identity["apiKey"], "tollgate-authorizer-key-0123456789");
    assert.equal(identity["apiKeyId"], apiKeyId);
    const without = await call("/keyed", { Authorization: "nokey:k2" });
    assert.equal(without.status, 403);
    assert.equal(without.body, '{"message":"Forbidden"}');
  });

  test("TestInvokeMethod runs the method without its authorizer, as AWS does", async () => {
    const before = existsSync(calls) ? readFileSync(calls, "utf8") : "";
    const res = await t.ag.send(new AG.TestInvokeMethodCommand({ restApiId: apiId, resourceId: resourceIds.get("/nocache")!, httpMethod: "GET" }));
    assert.equal(res.status, 200);
    assert.equal(existsSync(calls) ? readFileSync(calls, "utf8") : "", before);
  });

  describe("TestInvokeAuthorizer", () => {
    test("reports principal, policy and context of an allowing authorizer", async () => {
      const res = await t.ag.send(new AG.TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId: authorizers["cached"]!, headers: { Authorization: "allow:ti1" } }));
      assert.equal(res.clientStatus, 200);
      assert.equal(res.principalId, "user-123");
      const policy = JSON.parse(res.policy!) as Json;
      assert.ok(Array.isArray(policy["Statement"]));
      assert.deepEqual(res.authorization?.["stringKey"], ["value"]);
      assert.equal(typeof res.latency, "number");
      assert.match(res.log!, /Starting authorizer/);
      await t.ag.send(new AG.TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId: authorizers["cached"]!, headers: { Authorization: "allow:ti1" } }));
      assert.equal(callsFor("allow:ti1"), 2, "test invocations are never cached");
    });

    test("reports 401 for a missing token or an Unauthorized function and 500 for a failing one", async () => {
      const id = authorizers["uncached"]!;
      assert.equal((await t.ag.send(new AG.TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId: id, headers: {} }))).clientStatus, 401);
      assert.equal((await t.ag.send(new AG.TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId: id, headers: { Authorization: "unauthorized:x" } }))).clientStatus, 401);
      const failed = await t.ag.send(new AG.TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId: id, headers: { Authorization: "boom:x" } }));
      assert.equal(failed.clientStatus, 500);
      assert.match(failed.log!, /boom/);
    });

    test("runs REQUEST authorizers with the query string of pathWithQueryString", async () => {
      const res = await t.ag.send(
        new AG.TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId: authorizers["request"]!, headers: { auth: "allow:tr" }, pathWithQueryString: "/request?tenant=zz" }),
      );
      assert.equal(res.clientStatus, 200);
      assert.deepEqual(res.authorization?.["tenant"], ["zz"]);
    });

    test("an unknown authorizer is 404", async () => {
      await assert.rejects(
        t.ag.send(new AG.TestInvokeAuthorizerCommand({ restApiId: apiId, authorizerId: "nope00", headers: {} })),
        (err: Error) => err.name === "NotFoundException",
      );
    });
  });
});
