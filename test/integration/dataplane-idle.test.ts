// Idle HTTP/1.1 connections on the data plane's listener (idle-connections.ts), with short limits: a real TLS
// server from createHttpsServer and raw TLS clients that stay silent.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tls from "node:tls";
import pino from "pino";
import { loadConfig } from "../../src/config.js";
import { createHttpsServer } from "../../src/dataplane/wire/https-server.js";
import { loadTlsMaterial } from "../../src/dataplane/wire/tls-certificate.js";
import type { Http2SecureServer } from "node:http2";

describe("idle HTTP/1.1 connections", () => {
  const dir = mkdtempSync(join(tmpdir(), "tollgate-idle-"));
  let server: Http2SecureServer;
  let port: number;
  let release: (() => void) | undefined;

  before(async () => {
    const tlsMaterial = await loadTlsMaterial(loadConfig([], { TOLLGATE_DATA_DIR: dir }));
    server = createHttpsServer(
      tlsMaterial,
      (request, sink) => {
        // `/slow` answers only when the test says so: a request in flight that stays silent.
        const answer = (): void => {
          sink.start(200, ["Content-Type", "text/plain"], 2);
          sink.end(Buffer.from("ok"));
        };
        if (request.rawPath === "/slow") release = answer;
        else answer();
      },
      pino({ level: "silent" }),
      { keepAliveIdleMs: 300, activeIdleMs: 1_200, sweepMs: 100 },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  /** A raw TLS HTTP/1.1 client; resolves with when it saw the server close the connection. */
  function connect(): Promise<{ socket: tls.TLSSocket; closed: Promise<number>; received: () => string }> {
    return new Promise((resolve, reject) => {
      let text = "";
      const socket = tls.connect({ host: "127.0.0.1", port, rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] }, () => {
        const closed = new Promise<number>((r) => socket.once("close", () => r(performance.now())));
        resolve({ socket, closed, received: () => text });
      });
      socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      socket.once("error", reject);
    });
  }

  test("a keep-alive connection with no request in flight is closed after the keep-alive limit", async () => {
    const c = await connect();
    c.socket.write("GET /fast HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const started = performance.now();
    const closedAt = await c.closed;
    assert.match(c.received(), /^HTTP\/1\.1 200 OK/);
    const idleFor = closedAt - started;
    assert.ok(idleFor >= 250 && idleFor < 1_100, `closed after ${Math.round(idleFor)} ms idle`);
  });

  test("a connection that never sends a request is closed too", async () => {
    const c = await connect();
    const started = performance.now();
    const closedAt = await c.closed;
    assert.ok(closedAt - started < 1_100);
  });

  test("a request in flight keeps its connection past the keep-alive limit, up to the active limit", async () => {
    const c = await connect();
    c.socket.write("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const started = performance.now();
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(c.socket.destroyed, false, "still open while its request is being worked on");
    release?.();
    await new Promise((r) => setTimeout(r, 50));
    assert.match(c.received(), /^HTTP\/1\.1 200 OK/);
    // Answered: from now on it is an idle keep-alive again.
    const closedAt = await c.closed;
    assert.ok(closedAt - started < 1_500, `closed ${Math.round(closedAt - started)} ms after the request`);
  });

  test("a request in flight that stays silent past the active limit loses its connection", async () => {
    const c = await connect();
    c.socket.write("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const started = performance.now();
    const closedAt = await c.closed;
    const silentFor = closedAt - started;
    assert.ok(silentFor >= 1_150 && silentFor < 2_500, `closed after ${Math.round(silentFor)} ms`);
  });
});
