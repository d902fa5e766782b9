import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import pino from "pino";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { deployApi, startUpstream, type Upstream } from "../helpers/dataplane.js";
import { startDataPlane, type DataPlane } from "../../src/dataplane/data-plane.js";
import https from "node:https";

describe("data plane: access log", () => {
  let t: TestGateway;
  let upstream: Upstream;
  let plane: DataPlane;
  const lines: Record<string, unknown>[] = [];
  let apiId: string;
  before(async () => {
    t = await startTestGateway();
    upstream = await startUpstream();
    ({ apiId } = await deployApi(t, [
      { path: "/items/{id}", httpMethod: "GET", integration: { type: "HTTP_PROXY", integrationHttpMethod: "GET", uri: `${upstream.url}/x` } },
    ]));
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    // A second data plane on the same store, its access log captured.
    plane = await startDataPlane({ config: { ...t.gw.config, port: 0 }, store: t.gw.store, logger: pino({ level: "silent" }), accessLogger: pino({ level: "info" }, sink) });
  });
  after(async () => {
    await plane.close();
    await t.close();
    await upstream.close();
  });

  const get = (path: string): Promise<number> =>
    new Promise((resolve, reject) => {
      https
        .get({ host: "127.0.0.1", port: plane.port, path, ca: plane.certificate, servername: "localhost", agent: false }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        })
        .on("error", reject);
    });

  test("each request writes one JSON line with the request's identity, status, latencies and length", async () => {
    const status = await get(`/restapis/${apiId}/test/_user_request_/items/7`);
    assert.equal(status, 200);
    const missing = await get(`/restapis/${apiId}/test/_user_request_/nothing`);
    assert.equal(missing, 403);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(lines.length, 2);
    const [ok, denied] = lines as [Record<string, unknown>, Record<string, unknown>];
    assert.equal(ok["msg"], "access");
    assert.match(String(ok["requestId"]), /^[0-9a-f-]{36}$/);
    assert.equal(ok["apiId"], apiId);
    assert.equal(ok["stage"], "test");
    assert.equal(ok["resourcePath"], "/items/{id}");
    assert.equal(ok["method"], "GET");
    assert.equal(ok["status"], 200);
    assert.equal(typeof ok["latency"], "number");
    assert.equal(typeof ok["integrationLatency"], "number");
    assert.equal(ok["responseLength"], '{"hello":"from upstream"}'.length);
    assert.equal(denied["status"], 403);
    assert.equal(denied["resourcePath"], null);
    assert.equal(denied["integrationLatency"], null);
  });
});
