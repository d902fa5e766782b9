import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as AG from "@aws-sdk/client-api-gateway";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { dataRequest, deployApi, startUpstream, userPath, type Upstream } from "../helpers/dataplane.js";

describe("data plane: MOCK and HTTP integrations", () => {
  let t: TestGateway;
  let upstream: Upstream;
  let apiId: string;
  const at = (path: string): string => userPath(apiId, "dev", path);
  before(async () => {
    t = await startTestGateway();
    upstream = await startUpstream((req, res, body) => {
      const status = req.url?.startsWith("/missing") ? 404 : 200;
      res.writeHead(status, { "content-type": "application/json", "x-upstream": "u1" });
      res.end(JSON.stringify({ url: req.url, body: body.toString("utf8"), tenant: req.headers["x-tenant"] ?? null, name: "rex" }));
    });
    const deployed = await deployApi(
      t,
      [
        {
          path: "/pets",
          httpMethod: "GET",
          integration: { type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } },
          responses: [{ statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"ok":true,"stage":"$context.stage","v":"$stageVariables.v"}' }, responseParameters: { "method.response.header.X-Mocked": "'yes'" } }],
        },
        {
          path: "/override-reserved/{name}",
          httpMethod: "POST",
          requestParameters: { "method.request.path.name": true },
          integration: {
            type: "HTTP",
            integrationHttpMethod: "POST",
            uri: "http://${stageVariables.backendHost}/override",
            requestTemplates: { "application/json": "#set($context.requestOverride.header[$input.params('name')] = 'mine'){}" },
          },
          responses: [{ statusCode: "200", selectionPattern: "" }],
        },
        {
          path: "/query",
          httpMethod: "GET",
          integration: { type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } },
          responses: [{ statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": '{"x":"$input.params(\'x\')","y":"$input.params(\'y\')","e":"$input.params(\'e\')"}' } }],
        },
        {
          path: "/teapot",
          httpMethod: "GET",
          integration: { type: "MOCK", requestTemplates: { "application/json": '#set($context.responseOverride.status = 418){"statusCode": 200}' } },
          responses: [{ statusCode: "200", selectionPattern: "" }],
        },
        {
          path: "/strict",
          httpMethod: "POST",
          integration: { type: "MOCK", passthroughBehavior: "NEVER", requestTemplates: { "application/json": '{"statusCode": 200}' } },
          responses: [{ statusCode: "200", selectionPattern: "" }],
        },
        {
          path: "/broken",
          httpMethod: "GET",
          integration: { type: "MOCK", requestTemplates: { "application/json": '{"nostatus": true}' } },
          responses: [{ statusCode: "200", selectionPattern: "" }],
        },
        {
          path: "/backend/{id}",
          httpMethod: "POST",
          requestParameters: { "method.request.path.id": true, "method.request.header.tenant": false },
          integration: {
            type: "HTTP",
            integrationHttpMethod: "POST",
            uri: "http://${stageVariables.backendHost}/things/{id}",
            requestParameters: { "integration.request.path.id": "method.request.path.id", "integration.request.header.X-Tenant": "method.request.header.tenant" },
            requestTemplates: { "application/json": '{"wrapped": $input.json(\'$\'), "id": "$input.params(\'id\')"}' },
          },
          responses: [
            { statusCode: "200", selectionPattern: "", responseParameters: { "method.response.header.X-From": "integration.response.header.x-upstream" }, responseTemplates: { "application/json": '{"name": "$input.path(\'$.name\')", "sent": $input.json(\'$.body\')}' } },
            { statusCode: "404", selectionPattern: "4\\d{2}" },
          ],
        },
        {
          path: "/bad-template",
          httpMethod: "POST",
          integration: { type: "MOCK", requestTemplates: { "application/json": '#set($x = $util.parseJson($input.body)){"statusCode": 200}' } },
          responses: [{ statusCode: "200", selectionPattern: "" }],
        },
        {
          // §14.1: what is dropped on arrival is invisible to templates and mappings; what is dropped after mapping
          // never reaches the backend, even when mapped.
          path: "/headers",
          httpMethod: "POST",
          integration: {
            type: "HTTP",
            integrationHttpMethod: "POST",
            uri: "http://${stageVariables.backendHost}/headers",
            requestParameters: {
              "integration.request.header.X-Got-TE": "method.request.header.TE",
              "integration.request.header.X-Got-Connection": "method.request.header.Connection",
              "integration.request.header.X-Got-Accept": "method.request.header.Accept",
              "integration.request.header.Via": "'1.1 mapped'",
              "integration.request.header.Expect": "'100-continue'",
              "integration.request.header.TE": "'trailers'",
              "integration.request.header.Proxy-Authenticate": "'pa'",
              "integration.request.header.Upgrade": "'websocket'",
            },
            requestTemplates: { "application/json": '"#foreach($h in $input.params().header.keySet())$h.toLowerCase()|#end"' },
          },
          responses: [{ statusCode: "200", selectionPattern: "" }],
        },
        {
          path: "/missing",
          httpMethod: "GET",
          integration: { type: "HTTP", integrationHttpMethod: "GET", uri: "http://${stageVariables.backendHost}/missing" },
          responses: [{ statusCode: "200", selectionPattern: "2\\d{2}" }],
        },
      ],
      { stage: "dev", variables: { v: "1", backendHost: `127.0.0.1:${upstream.port}` } },
    );
    apiId = deployed.apiId;
  });
  after(async () => {
    await t.close();
    await upstream.close();
  });

  test("a MOCK method renders its integration response template with $context and stage variables", async () => {
    const res = await dataRequest(t, at("/pets"));
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"ok":true,"stage":"dev","v":"1"}');
    assert.equal(res.headers["x-mocked"], "yes");
    assert.equal(res.headers["content-type"], "application/json");
  });

  test("a request override may not set the headers API Gateway sets itself: 500, as for a mapping (§10.4)", async () => {
    for (const name of ["X-Amzn-Trace-Id", "x-amzn-apigateway-api-id", "Content-Length"]) {
      const before = upstream.seen.length;
      const res = await dataRequest(t, at(`/override-reserved/${name}`), { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
      assert.equal(res.status, 500, name);
      assert.equal(res.body, '{"message": "Internal server error"}');
      assert.equal(upstream.seen.length, before, "the backend is not called");
    }
    const allowed = await dataRequest(t, at("/override-reserved/X-Custom"), { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    assert.equal(allowed.status, 200);
    assert.equal(upstream.seen.at(-1)!.headers["x-custom"], "mine");
  });

  test("a semicolon in the query separates parameters, an encoded one is data (§17)", async () => {
    const res = await dataRequest(t, at("/query?x=1;y=2&e=a%3Bb"));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { x: "1", y: "2", e: "a;b" });
  });

  test("a responseOverride set in a MOCK request template sets the status", async () => {
    const res = await dataRequest(t, at("/teapot"));
    assert.equal(res.status, 418);
  });

  test("passthroughBehavior NEVER refuses an unmapped content type with 415", async () => {
    const res = await dataRequest(t, at("/strict"), { method: "POST", body: "x", headers: { "content-type": "text/plain" } });
    assert.equal(res.status, 415);
    assert.equal(res.body, '{"message":"Unsupported Media Type"}');
    const ok = await dataRequest(t, at("/strict"), { method: "POST", body: "{}", headers: { "content-type": "application/json; charset=utf-8" } });
    assert.equal(ok.status, 200);
  });

  test("a MOCK template without a statusCode is AWS's 500", async () => {
    const res = await dataRequest(t, at("/broken"));
    assert.equal(res.status, 500);
    assert.equal(res.body, '{"message": "Internal server error"}');
    assert.equal(res.headers["x-amzn-errortype"], "InternalServerErrorException");
  });

  test("an HTTP integration sends only mapped values and the rendered template, and maps the response", async () => {
    const res = await dataRequest(t, at("/backend/7"), { method: "POST", body: '{"a":1}', headers: { "content-type": "application/json", tenant: "acme", "x-unmapped": "no" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers["x-from"], "u1");
    assert.equal(res.headers["x-upstream"], undefined);
    const seen = upstream.seen.at(-1)!;
    assert.equal(seen.url, "/things/7");
    assert.equal(seen.headers["x-tenant"], "acme");
    assert.equal(seen.headers["x-unmapped"], undefined);
    assert.deepEqual(JSON.parse(seen.body), { wrapped: { a: 1 }, id: "7" });
    assert.deepEqual(JSON.parse(res.body), { name: "rex", sent: JSON.parse(seen.body) === null ? null : seen.body });
  });

  test("a template that fails while rendering is AWS's 500, and the gateway keeps serving", async () => {
    const res = await dataRequest(t, at("/bad-template"), { method: "POST", body: "not json", headers: { "content-type": "application/json" } });
    assert.equal(res.status, 500);
    assert.equal(res.body, '{"message": "Internal server error"}');
    assert.equal((await dataRequest(t, at("/pets"))).status, 200);
  });

  test("a backend status that no selection pattern matches and no default exists is a 500 configuration error", async () => {
    const res = await dataRequest(t, at("/missing"));
    assert.equal(res.status, 500);
    assert.equal(res.body, '{"message": "Internal server error"}');
  });

  test("a stage update is served at once: the new stage variable shows in the next response", async () => {
    await t.ag.send(new AG.UpdateStageCommand({ restApiId: apiId, stageName: "dev", patchOperations: [{ op: "replace", path: "/variables/v", value: "2" }] }));
    await t.gw.dataPlane.registry.settled();
    const res = await dataRequest(t, at("/pets"));
    assert.equal(res.body, '{"ok":true,"stage":"dev","v":"2"}');
    await t.ag.send(new AG.UpdateStageCommand({ restApiId: apiId, stageName: "dev", patchOperations: [{ op: "replace", path: "/variables/v", value: "1" }] }));
    await t.gw.dataPlane.registry.settled();
  });

  test("a path with no resource, or a resource without the verb, is 403 Missing Authentication Token", async () => {
    for (const [path, method] of [["/nothing/here", "GET"], ["/pets", "DELETE"]] as const) {
      const res = await dataRequest(t, at(path), { method });
      assert.equal(res.status, 403);
      assert.equal(res.body, '{"message":"Missing Authentication Token"}');
      assert.equal(res.headers["x-amzn-errortype"], "MissingAuthenticationTokenException");
    }
  });

  test("no route with a non-SigV4 Authorization header is AWS's incomplete-signature 403 (§3.3)", async () => {
    for (const [path, method] of [["/nothing/here", "GET"], ["/pets", "DELETE"]] as const) {
      const res = await dataRequest(t, at(path), { method, headers: { authorization: "Bearer abc" } });
      assert.equal(res.status, 403);
      assert.equal(res.headers["x-amzn-errortype"], "IncompleteSignatureException");
      assert.equal(res.body, `{"message":"'abc' not a valid key=value pair (missing equal-sign) in Authorization header: 'Bearer abc'."}`);
    }
    // A matched route is unaffected: the method has no authorization, the header is the client's business.
    const served = await dataRequest(t, at("/pets"), { headers: { authorization: "Bearer abc" } });
    assert.equal(served.status, 200);
  });

  test("§14.1: headers dropped on arrival are invisible to templates and mappings; those dropped after mapping never leave", async () => {
    const res = await dataRequest(t, at("/headers"), {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json", te: "trailers", "max-forwards": "3", "content-md5": "abc", server: "s", accept: "text/plain" },
    });
    assert.equal(res.status, 200);
    const seen = upstream.seen.at(-1)!;
    const visible = (JSON.parse(seen.body) as string).split("|").filter(Boolean).sort();
    assert.deepEqual(visible, ["accept", "content-type", "host"]);
    assert.equal(seen.headers["x-got-accept"], "text/plain");
    assert.equal(seen.headers["x-got-te"], undefined);
    assert.equal(seen.headers["x-got-connection"], undefined);
    for (const name of ["via", "expect", "te", "proxy-authenticate", "upgrade"]) assert.equal(seen.headers[name], undefined, name);
  });
});
