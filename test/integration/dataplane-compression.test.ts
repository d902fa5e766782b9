// Payload compression (data-plane.md §16.3) over HTTPS: an API with minimumCompressionSize, MOCK and HTTP_PROXY
// methods, clients that send and accept gzip and deflate.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { dataRequest, deployApi, startUpstream, userPath, type DataResponse, type MethodSpec, type Upstream } from "../helpers/dataplane.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const BIG = "x".repeat(2_000);

describe("payload compression", () => {
  let t: TestGateway;
  let upstream: Upstream;
  let apiId: string;
  let plainApiId: string;
  const get = (api: string, path: string, headers: Record<string, string> = {}): Promise<DataResponse> => dataRequest(t, userPath(api, "v", path), { headers });

  const mock = (path: string, responseTemplate: string): MethodSpec => ({
    path,
    httpMethod: "GET",
    integration: { type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } },
    responses: [{ statusCode: "200", selectionPattern: "", responseTemplates: { "application/json": responseTemplate } }],
  });

  async function buildApi(minimumCompressionSize: number | undefined): Promise<string> {
    const methods: MethodSpec[] = [
      mock("/big", `{"data":"${BIG}"}`),
      mock("/small", '{"ok":true}'),
      // A non-proxy HTTP integration: the body passes through the mapping step to a backend that echoes it.
      {
        path: "/mapped",
        httpMethod: "POST",
        integration: { type: "HTTP", integrationHttpMethod: "POST", uri: `${upstream.url}/echo-body` },
        responses: [{ statusCode: "200", selectionPattern: "" }],
      },
      {
        path: "/{proxy+}",
        httpMethod: "ANY",
        integration: {
          type: "HTTP_PROXY",
          integrationHttpMethod: "ANY",
          uri: `${upstream.url}/{proxy}`,
          requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
        },
      },
    ];
    return (await deployApi(t, methods, { stage: "v", ...(minimumCompressionSize !== undefined ? { minimumCompressionSize } : {}) })).apiId;
  }

  before(async () => {
    upstream = await startUpstream((req, res, body) => {
      if (req.url === "/already-gzipped") {
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
        res.end(gzipSync(BIG));
      } else if (req.url === "/echo-body") {
        res.writeHead(200, { "content-type": "application/octet-stream", "x-request-encoding": req.headers["content-encoding"] ?? "none" });
        res.end(body);
      } else {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(BIG);
      }
    });
    t = await startTestGateway();
    apiId = await buildApi(100);
    plainApiId = await buildApi(undefined);
  });
  after(async () => {
    await t.close();
    await upstream.close();
  });

  test("a response at least minimumCompressionSize long is gzipped for a client that accepts gzip", async () => {
    const res = await get(apiId, "/big", { "accept-encoding": "gzip, deflate" });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(res.raw).toString(), `{"data":"${BIG}"}`);
    assert.ok(res.raw.length < 200);
  });

  test("deflate when preferred; nothing when the preferred coding is unsupported, absent or the body is small", async () => {
    const deflated = await get(apiId, "/big", { "accept-encoding": "deflate;q=1, gzip;q=0.5" });
    assert.equal(deflated.headers["content-encoding"], "deflate");
    assert.equal(inflateSync(deflated.raw).toString(), `{"data":"${BIG}"}`);
    const br = await get(apiId, "/big", { "accept-encoding": "br, gzip;q=0.5" });
    assert.equal(br.headers["content-encoding"], undefined);
    assert.equal(br.body, `{"data":"${BIG}"}`);
    assert.equal((await get(apiId, "/big")).headers["content-encoding"], undefined);
    const small = await get(apiId, "/small", { "accept-encoding": "gzip" });
    assert.equal(small.headers["content-encoding"], undefined);
    assert.equal(small.body, '{"ok":true}');
  });

  test("an API without minimumCompressionSize never compresses", async () => {
    const res = await get(plainApiId, "/big", { "accept-encoding": "gzip" });
    assert.equal(res.headers["content-encoding"], undefined);
    assert.equal(res.body, `{"data":"${BIG}"}`);
  });

  test("HTTP_PROXY responses are compressed on the way; one the backend already encoded passes untouched", async () => {
    const res = await get(apiId, "/streamed", { "accept-encoding": "gzip" });
    assert.equal(res.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(res.raw).toString(), BIG);
    const already = await get(apiId, "/already-gzipped", { "accept-encoding": "gzip" });
    assert.equal(already.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(already.raw).toString(), BIG, "encoded once, not twice");
  });

  test("a gzip request body is decompressed before mapping; proxy integrations get it as sent", async () => {
    const body = gzipSync(JSON.stringify({ hello: "world" }));
    const mapped = await dataRequest(t, userPath(apiId, "v", "/mapped"), { method: "POST", headers: { "content-type": "application/json", "content-encoding": "gzip" }, body });
    assert.equal(mapped.status, 200);
    assert.deepEqual(JSON.parse(mapped.body), { hello: "world" });
    const proxied = await dataRequest(t, userPath(apiId, "v", "/echo-body"), { method: "POST", headers: { "content-encoding": "gzip" }, body });
    assert.equal(proxied.headers["x-request-encoding"], "gzip");
    assert.deepEqual(proxied.raw, body);
  });

  test("a body that inflates past 10 MB is refused with 413", async () => {
    const bomb = gzipSync(Buffer.alloc(11 * 1024 * 1024, 0x20));
    const res = await dataRequest(t, userPath(apiId, "v", "/mapped"), { method: "POST", headers: { "content-type": "application/json", "content-encoding": "gzip" }, body: bomb });
    assert.equal(res.status, 413);
  });
});
