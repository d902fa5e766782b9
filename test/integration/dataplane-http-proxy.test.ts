import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import https from "node:https";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { dataRequest, deployApi, startUpstream, userPath, type Upstream } from "../helpers/dataplane.js";

describe("data plane: HTTP_PROXY", () => {
  let t: TestGateway;
  let upstream: Upstream;
  let apiId: string;
  before(async () => {
    t = await startTestGateway();
    upstream = await startUpstream((req, res, body) => {
      if (req.url?.startsWith("/stream")) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write("data: first\n\n");
        setTimeout(() => res.end("data: second\n\n"), 400);
        return;
      }
      if (req.url?.startsWith("/slow")) {
        setTimeout(() => {
          res.writeHead(200);
          res.end("late");
        }, 1500);
        return;
      }
      res.writeHead(201, { "content-type": "text/plain", server: "upstream-server", "x-backend": "yes" });
      res.end(`${req.method} ${req.url} ${body.toString("utf8")}`);
    });
    const deployed = await deployApi(t, [
      { path: "/{proxy+}", httpMethod: "ANY", integration: { type: "HTTP_PROXY", integrationHttpMethod: "ANY", uri: `${upstream.url}/{proxy}`, requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" } }, requestParameters: { "method.request.path.proxy": true } },
      { path: "/slow", httpMethod: "GET", integration: { type: "HTTP_PROXY", integrationHttpMethod: "GET", uri: `${upstream.url}/slow`, timeoutInMillis: 200 } },
      { path: "/refused", httpMethod: "GET", integration: { type: "HTTP_PROXY", integrationHttpMethod: "GET", uri: "http://127.0.0.1:1/nothing" } },
    ]);
    apiId = deployed.apiId;
  });
  after(async () => {
    await t.close();
    await upstream.close();
  });

  test("a proxied request reaches the backend with verb, path, query and body, and the response comes back", async () => {
    const res = await dataRequest(t, userPath(apiId, "test", "/items/42?x=1&y=a%20b"), { method: "POST", body: "hello", headers: { "content-type": "text/plain", "x-client": "c", "x-multi": ["a", "b"] } });
    assert.equal(res.status, 201);
    assert.equal(res.body, "POST /items/42?x=1&y=a%20b hello");
    assert.equal(res.headers["x-backend"], "yes");
    assert.equal(res.headers["x-amzn-remapped-server"], "upstream-server");
    assert.match(String(res.headers["x-amzn-requestid"]), /^[0-9a-f-]{36}$/);
    assert.match(String(res.headers["x-amz-apigw-id"]), /^.{15}=$/);
    const seen = upstream.seen.at(-1)!;
    assert.equal(seen.headers["x-client"], "c");
    assert.equal(seen.headers["x-multi"], "a,b");
    assert.equal(seen.headers["x-amzn-apigateway-api-id"], apiId);
    assert.match(String(seen.headers["x-amzn-trace-id"]), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/);
  });

  test("a streamed response reaches the client chunk by chunk, not at the end", async () => {
    const started = Date.now();
    const firstChunkAfter = await new Promise<number>((resolve, reject) => {
      const req = https.get(
        { host: "127.0.0.1", port: t.gw.dataPort, path: userPath(apiId, "test", "/stream"), ca: t.gw.dataPlane.certificate, servername: "localhost", agent: false },
        (res) => {
          res.once("data", () => resolve(Date.now() - started));
          res.resume();
        },
      );
      req.on("error", reject);
    });
    assert.ok(firstChunkAfter < 350, `first chunk after ${firstChunkAfter} ms`);
  });

  test("HEAD is proxied: the backend's headers come back without a body", async () => {
    const res = await dataRequest(t, userPath(apiId, "test", "/items/1"), { method: "HEAD" });
    assert.equal(res.status, 201);
    assert.equal(res.body, "");
    assert.equal(res.headers["x-backend"], "yes");
    assert.equal(upstream.seen.at(-1)?.method, "HEAD");
  });

  test("a backend slower than timeoutInMillis gives 504 Endpoint request timed out", async () => {
    const res = await dataRequest(t, userPath(apiId, "test", "/slow"));
    assert.equal(res.status, 504);
    assert.equal(res.body, '{"message": "Endpoint request timed out"}');
    assert.equal(res.headers["x-amzn-errortype"], "InternalServerErrorException");
  });

  test("a refused backend gives 500 with AWS's byte-exact body", async () => {
    const res = await dataRequest(t, userPath(apiId, "test", "/refused"));
    assert.equal(res.status, 500);
    assert.equal(res.body, '{"message": "Internal server error"}');
    assert.equal(res.headers["content-length"], "36");
  });

  test("an unknown stage or API is 403 Forbidden", async () => {
    const res = await dataRequest(t, userPath(apiId, "nope", "/x"));
    assert.equal(res.status, 403);
    assert.equal(res.body, '{"message":"Forbidden"}');
    assert.equal(res.headers["x-amzn-errortype"], "ForbiddenException");
    const other = await dataRequest(t, "/test/x", { host: `zzzzzzzzzz.execute-api.localhost` });
    assert.equal(other.status, 403);
  });

  test("host-style addressing routes by the API id in the Host header", async () => {
    const res = await dataRequest(t, "/test/abc", { host: `${apiId}.execute-api.localhost:443` });
    assert.equal(res.status, 201);
    assert.equal(res.body, "GET /abc ");
  });
});
