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
});
