import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import http2 from "node:http2";
import net from "node:net";
import tls from "node:tls";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { loadTlsMaterial } from "../../src/dataplane/wire/tls-certificate.js";
import { dataRequest, deployApi, startUpstream, userPath, type Upstream } from "../helpers/dataplane.js";

describe("data plane: wire, limits and robustness", () => {
  let t: TestGateway;
  let upstream: Upstream;
  let apiId: string;
  before(async () => {
    t = await startTestGateway();
    upstream = await startUpstream((_req, res, body) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(`got ${body.length} bytes`);
    });
    ({ apiId } = await deployApi(t, [
      { path: "/{proxy+}", httpMethod: "ANY", integration: { type: "HTTP_PROXY", integrationHttpMethod: "ANY", uri: `${upstream.url}/{proxy}`, requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" } }, requestParameters: { "method.request.path.proxy": true } },
    ]));
  });
  after(async () => {
    await t.close();
    await upstream.close();
  });

  test("the self-signed certificate is written to the data dir and names localhost and *.execute-api.localhost", () => {
    const pem = readFileSync(join(t.dataDir, "dataplane-cert.pem"), "utf8");
    const cert = new X509Certificate(pem);
    assert.match(cert.subjectAltName ?? "", /DNS:localhost/);
    assert.match(cert.subjectAltName ?? "", /DNS:\*\.execute-api\.localhost/);
    assert.match(cert.subjectAltName ?? "", /IP Address:127\.0\.0\.1/);
  });

  test("a restart reuses the generated certificate", async () => {
    const again = await loadTlsMaterial(t.gw.config);
    assert.equal(again.cert, t.gw.dataPlane.certificate);
  });

  test("TLS below 1.2 is refused", async () => {
    await assert.rejects(
      new Promise<void>((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port: t.gw.dataPort, rejectUnauthorized: false, minVersion: "TLSv1", maxVersion: "TLSv1.1" }, () => {
          socket.destroy();
          resolve();
        });
        socket.on("error", reject);
      }),
    );
  });

  test("plain HTTP on the data-plane port is never served", async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(t.gw.dataPort, "127.0.0.1", () => socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
      let data = "";
      socket.on("data", (c: Buffer) => (data += c.toString("latin1")));
      socket.on("close", () => resolve(data));
      socket.on("error", () => resolve(data));
    });
    assert.doesNotMatch(answer, /^HTTP\/1\.1 200/);
    const ok = await dataRequest(t, userPath(apiId, "test", "/still-up"));
    assert.equal(ok.status, 200);
  });

  test("HTTP/2 clients are served through ALPN", async () => {
    const client = http2.connect(`https://127.0.0.1:${t.gw.dataPort}`, { ca: t.gw.dataPlane.certificate, servername: "localhost" });
    try {
      const { status, body, headers } = await new Promise<{ status: number; body: string; headers: http2.IncomingHttpHeaders }>((resolve, reject) => {
        const req = client.request({ ":method": "POST", ":path": userPath(apiId, "test", "/h2"), "content-type": "text/plain" });
        let body = "";
        let head: http2.IncomingHttpHeaders = {};
        req.on("response", (h) => (head = h));
        req.on("data", (c: Buffer) => (body += c.toString()));
        req.on("end", () => resolve({ status: Number(head[":status"]), body, headers: head }));
        req.on("error", reject);
        req.end("four");
      });
      assert.equal(status, 200);
      assert.equal(body, "got 4 bytes");
      assert.ok(headers["x-amzn-requestid"]);
    } finally {
      client.close();
    }
  });

  test("a payload over 10,485,760 bytes is refused with 413 before it reaches the integration", async () => {
    const before = upstream.seen.length;
    const big = Buffer.alloc(10_485_761, 97);
    const res = await dataRequest(t, userPath(apiId, "test", "/upload"), { method: "POST", body: big, headers: { "content-type": "application/octet-stream" } });
    assert.equal(res.status, 413);
    assert.equal(res.body, "HTTP content length exceeded 10485760 bytes.");
    assert.equal(upstream.seen.length, before);
    const exact = await dataRequest(t, userPath(apiId, "test", "/upload"), { method: "POST", body: Buffer.alloc(10_485_760, 97) });
    assert.equal(exact.status, 200);
    assert.equal(exact.body, "got 10485760 bytes");
  });

  test("a chunked payload over the limit is refused too", async () => {
    const before = upstream.seen.length;
    const res = await dataRequest(t, userPath(apiId, "test", "/upload"), { method: "POST", body: Buffer.alloc(10_485_761, 98), headers: { "transfer-encoding": "chunked" } });
    assert.equal(res.status, 413);
    assert.equal(upstream.seen.length, before);
  });

  test("a URL longer than 10240 characters is 414, however long (not the parser's 431)", async () => {
    for (const length of [10_240, 20_000, 60_000]) {
      const res = await dataRequest(t, userPath(apiId, "test", "/" + "a".repeat(length)));
      assert.equal(res.status, 414, `${length} characters`);
      assert.equal(res.body, '{"message":"Request-URI Too Long"}');
    }
  });

  test("an Expect header other than 100-continue is dropped, not answered with 417 (§14.1)", async () => {
    for (const expect of ["foo", ""]) {
      const res = await dataRequest(t, userPath(apiId, "test", "/expect"), { method: "POST", body: "five!", headers: { expect, "content-type": "text/plain" } });
      assert.equal(res.status, 200, `Expect: '${expect}'`);
      assert.equal(res.body, "got 5 bytes");
      assert.ok(res.headers["x-amzn-requestid"]);
      assert.equal(upstream.seen.at(-1)!.headers["expect"], undefined);
    }
  });

  test("HTTP/2 cookie crumbs reach the backend as one Cookie header joined with '; '", async () => {
    const client = http2.connect(`https://127.0.0.1:${t.gw.dataPort}`, { ca: t.gw.dataPlane.certificate, servername: "localhost" });
    try {
      await new Promise<void>((resolve, reject) => {
        // An array value is sent as separate header fields, as browsers send cookies over HTTP/2.
        const req = client.request({ ":method": "GET", ":path": userPath(apiId, "test", "/cookies"), cookie: ["a=1", "b=2", "c=3"] });
        req.on("data", () => undefined);
        req.on("end", () => resolve());
        req.on("error", reject);
        req.end();
      });
      const seen = upstream.seen.at(-1)!;
      assert.equal(seen.url, "/cookies");
      assert.deepEqual(seen.rawHeaders.filter((_, i, all) => i % 2 === 1 && all[i - 1]!.toLowerCase() === "cookie"), ["a=1; b=2; c=3"]);
    } finally {
      client.close();
    }
  });

  test("header values over 10240 bytes in total are 431", async () => {
    const res = await dataRequest(t, userPath(apiId, "test", "/h"), { headers: { "x-a": "a".repeat(6000), "x-b": "b".repeat(6000) } });
    assert.equal(res.status, 431);
  });

  test("junk bytes, broken HTTP and broken HTTP/2 frames do not take the server down", async () => {
    /** Sends `junk` and waits until the server closes (or 2 s pass), returning what came back. */
    const poke = (open: () => net.Socket | tls.TLSSocket, junk: Buffer | string): Promise<string> =>
      new Promise((resolve) => {
        let data = "";
        const s = open();
        const done = (): void => {
          clearTimeout(timer);
          s.destroy();
          resolve(data);
        };
        const timer = setTimeout(done, 2000);
        s.once(s instanceof tls.TLSSocket ? "secureConnect" : "connect", () => s.write(junk));
        s.on("data", (c: Buffer) => (data += c.toString("latin1")));
        s.on("close", done);
        s.on("error", done);
      });
    await poke(() => net.connect(t.gw.dataPort, "127.0.0.1"), Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0, 1, 2, 3]));
    const http1 = await poke(() => tls.connect({ host: "127.0.0.1", port: t.gw.dataPort, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] }), "GARBAGE \x00\x01 NOT HTTP\r\n\r\n");
    assert.match(http1, /^HTTP\/1\.1 400/);
    assert.match(http1, /\r\nx-amzn-RequestId: [0-9a-f-]{36}\r\n/);
    await poke(
      () => tls.connect({ host: "127.0.0.1", port: t.gw.dataPort, rejectUnauthorized: false, ALPNProtocols: ["h2"] }),
      Buffer.concat([Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), Buffer.from([0, 0, 4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]),
    );
    // An upload abandoned half-way, towards a streaming proxy.
    await new Promise<void>((resolve) => {
      const s = tls.connect({ host: "127.0.0.1", port: t.gw.dataPort, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] }, () => {
        s.write(`POST ${userPath(apiId, "test", "/upload")} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n${"x".repeat(1000)}`);
        setTimeout(() => {
          s.destroy();
          resolve();
        }, 100);
      });
      s.on("error", () => resolve());
    });
    const ok = await dataRequest(t, userPath(apiId, "test", "/alive"));
    assert.equal(ok.status, 200);
  });
});
