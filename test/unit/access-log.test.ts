import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import pino from "pino";
import { createAccessLog } from "../../src/dataplane/access-log.js";
import type { Exchange } from "../../src/dataplane/exchange.js";
import { fakeExchange } from "../helpers/fake-exchange.js";
import type { CompiledMethod, CompiledStage } from "../../src/dataplane/compiled-stage.js";
import type { RouteMatch } from "../../src/dataplane/routing/router.js";

function capture(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  const logger = pino({ name: "tollgate", level: "info", base: { pid: 4242 }, timestamp: () => ',"time":"2026-11-25T00:00:00.000Z"' }, sink).child({ log: "access" });
  return { logger, lines };
}

function exchange(method: string, resourcePath: string | undefined, apiId: string, stageName: string): Exchange {
  const ex = fakeExchange(method);
  ex.stage = { apiId, stageName } as CompiledStage;
  if (resourcePath !== undefined) ex.route = { resource: { path: resourcePath } } as unknown as RouteMatch<CompiledMethod>;
  ex.status = 201;
  ex.responseLength = 17;
  ex.integrationLatency = 1.23456;
  return ex;
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("access log line", () => {
  test("is the line pino writes for the same fields, including values that need JSON escaping", async () => {
    const ours = capture();
    const reference = capture();
    const access = createAccessLog(ours.logger);
    for (const [method, path, apiId, stage] of [
      ["GET", "/items/{id}", "a1b2c3d4e5", "prod"],
      ["POST", '/we"ird\\path/ü/\u0001', "api", "st_age-1"],
      ["PATCH", undefined, "x", "y"],
    ] as const) {
      const ex = exchange(method, path, apiId, stage);
      access.log(ex);
      access.flush();
      await flush();
      const line = JSON.parse(ours.lines.at(-1)!) as Record<string, unknown>;
      reference.logger.info(
        {
          requestId: ex.requestId,
          extendedRequestId: ex.extendedRequestId,
          apiId,
          stage,
          resourcePath: path ?? null,
          method,
          status: 201,
          latency: line["latency"],
          integrationLatency: 1.235,
          responseLength: 17,
        },
        "access",
      );
      await flush();
      assert.equal(ours.lines.at(-1), reference.lines.at(-1));
      assert.equal(typeof line["latency"], "number");
    }
  });

  test("lines are batched, in order, and reach the destination within the flush interval without being asked", async () => {
    const { logger, lines } = capture();
    const access = createAccessLog(logger);
    for (const m of ["GET", "PUT", "DELETE"]) access.log(exchange(m, "/a", "api", "s"));
    assert.deepEqual(lines, [], "nothing is written synchronously");
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { method: string }).method),
      ["GET", "PUT", "DELETE"],
    );
    access.log(exchange("POST", "/a", "api", "s"));
    access.flush();
    await flush();
    assert.equal(lines.length, 4, "flush hands waiting lines over at once");
  });

  test("writes nothing when the logger's level is above info", async () => {
    const { logger, lines } = capture();
    logger.level = "warn";
    const access = createAccessLog(logger);
    access.log(exchange("GET", "/", "a", "b"));
    access.flush();
    await flush();
    assert.deepEqual(lines, []);
  });

  test("numbers are written exactly as JSON.stringify writes them, over the whole range", async () => {
    const { logger, lines } = capture();
    const access = createAccessLog(logger);
    const values = [0, 0.0004, 0.0005, 0.001, 0.01, 0.1, 0.999, 0.9995, 1, 9.99999, 10, 99.5, 100.05, 1234.5678, 29_000, 123_456.789];
    for (let i = 0; i < 500; i++) values.push(Math.random() * 10 ** Math.floor(Math.random() * 7));
    const expected: string[] = [];
    for (const [i, value] of values.entries()) {
      const ex = exchange("GET", "/n", "api", "s");
      ex.integrationLatency = value;
      ex.status = [200, 3, 504, 0][i % 4]!;
      ex.responseLength = Math.floor(value * 1000);
      access.log(ex);
      expected.push(`"status":${ex.status},"latency":`, `"integrationLatency":${JSON.stringify(Math.round(value * 1000) / 1000)},"responseLength":${ex.responseLength},`);
    }
    access.flush();
    await flush();
    assert.equal(lines.length, values.length);
    for (const [i, line] of lines.entries()) {
      assert.ok(line.includes(expected[2 * i]!), line);
      assert.ok(line.includes(expected[2 * i + 1]!), `${line} should hold ${expected[2 * i + 1]}`);
      const latency = (JSON.parse(line) as { latency: number }).latency;
      assert.equal(String(latency), line.match(/"latency":([^,]+)/)![1]);
    }
  });

  test("a line longer than a whole batch is still written whole", async () => {
    const { logger, lines } = capture();
    const access = createAccessLog(logger);
    const long = "/" + "x".repeat(100_000);
    access.log(exchange("GET", "/short", "api", "s"));
    access.log(exchange("GET", long, "api", "s"));
    access.log(exchange("GET", "/after", "api", "s"));
    access.flush();
    await flush();
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { resourcePath: string }).resourcePath),
      ["/short", long, "/after"],
    );
  });
});
