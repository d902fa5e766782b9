// Several Tollgate nodes forming one deployment (data-plane.md §7 at scale): three nodes — two in this process,
// one a child process that can be SIGKILLed — each with its own data dir, sharing one fresh PostgreSQL database
// (configuration, quota counters, metering) and one Redis database (throttling buckets, under a key prefix
// derived from the database, so concurrent runs never share a bucket). Plus two nodes pointed at a Redis port
// where nothing listens, one per outage policy.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import * as AG from "@aws-sdk/client-api-gateway";
import pino from "pino";
import { loadConfig } from "../../src/config.js";
import { periodKey } from "../../src/limits/quota-period.js";
import { startGateway, type RunningGateway } from "../../src/server.js";
import { PostgresUsageStore } from "../../src/store/postgres-usage-store.js";
import { REGION, TEST_CREDENTIALS } from "../helpers/gateway.js";
import { createTestDatabase, type TestDatabase } from "../helpers/postgres.js";
import { deployMockApi, keyInPlan, userPath, within, type PlannedKey } from "../helpers/scaleout-fixtures.js";
import { freePort, httpsGet, spawnTollgate, type Served, type TollgateProcess } from "../helpers/tollgate-process.js";

const REDIS_URL = process.env["TOLLGATE_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379/12";
const today = (): string => new Date().toISOString().slice(0, 10);

/** A node this test talks to: its data-plane port and an SDK client on its management API. */
interface Node {
  readonly name: string;
  readonly dataPort: number;
  readonly ag: AG.APIGatewayClient;
  close(): Promise<void>;
}

interface InProcessNode extends Node {
  readonly gw: RunningGateway;
  /** Its log lines (info and up). */
  readonly logs: Record<string, unknown>[];
}

async function startNode(name: string, env: Record<string, string>): Promise<InProcessNode> {
  const dir = mkdtempSync(join(tmpdir(), `tollgate-scaleout-${name}-`));
  const config = loadConfig([], {
    TOLLGATE_DATA_DIR: dir,
    TOLLGATE_ADMIN_PORT: "0",
    TOLLGATE_PORT: "0",
    TOLLGATE_HOST: "127.0.0.1",
    TOLLGATE_ADMIN_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    TOLLGATE_ADMIN_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line.startsWith("{")) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // Access lines would flood the capture; everything else at info and up is kept.
  const gw = await startGateway(config, { logger: pino({ level: "info", hooks: { logMethod: accessFilter } }, sink) });
  const ag = new AG.APIGatewayClient({ endpoint: gw.adminUrl, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  return {
    name,
    gw,
    logs,
    dataPort: gw.dataPort,
    ag,
    async close() {
      ag.destroy();
      await gw.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function accessFilter(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn): void {
  if (args[1] === "access") return;
  method.apply(this, args);
}

async function startChildNode(name: string, env: Record<string, string>): Promise<Node & { proc: TollgateProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), `tollgate-scaleout-${name}-`));
  const proc = await spawnTollgate({ TOLLGATE_DATA_DIR: dir, TOLLGATE_WORKERS: "1", ...env });
  const ag = new AG.APIGatewayClient({ endpoint: proc.adminUrl, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  return {
    name,
    proc,
    dir,
    dataPort: proc.dataPort,
    ag,
    async close() {
      ag.destroy();
      await proc.stop("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const count = (served: readonly Served[], status: number): number => served.filter((s) => s.status === status).length;

async function usageOf(ag: AG.APIGatewayClient, key: PlannedKey): Promise<number[][] | undefined> {
  const usage = await ag.send(new AG.GetUsageCommand({ usagePlanId: key.planId, keyId: key.keyId, startDate: today(), endDate: today() }));
  return usage.items?.[key.keyId];
}

describe("three nodes sharing PostgreSQL and Redis", () => {
  let db: TestDatabase;
  let a: InProcessNode;
  let b: InProcessNode;
  let c: Node & { proc: TollgateProcess; dir: string };
  let nodes: Node[] = [];
  let apiId: string;
  let agent: https.Agent;
  const keyed = (): string => userPath(apiId, "prod", "/keyed");

  /** Polls every node until `key` is accepted there; the 200s it takes are returned (they count too). */
  async function untilKnownEverywhere(key: PlannedKey, on: readonly Node[] = nodes): Promise<number> {
    let admitted = 0;
    for (const node of on) {
      await within(
        2000,
        async () => {
          const ok = (await httpsGet(node.dataPort, keyed(), { "x-api-key": key.value })).status === 200;
          if (ok) admitted++;
          return ok;
        },
        `key known on ${node.name}`,
      );
    }
    return admitted;
  }

  before(async () => {
    db = await createTestDatabase();
    const env = { TOLLGATE_DATABASE_URL: db.url, TOLLGATE_REDIS_URL: REDIS_URL };
    agent = new https.Agent({ keepAlive: true, maxSockets: 100, rejectUnauthorized: false });
    const started = await Promise.allSettled([startNode("a", env), startNode("b", env), startChildNode("c", env)]);
    nodes = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    // A node that failed to start fails the suite; the others are stopped in after(), not left holding the run open.
    const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    [a, b, c] = nodes as [InProcessNode, InProcessNode, typeof c];
  });
  after(async () => {
    agent.destroy();
    await Promise.all(nodes.map((n) => n.close()));
    await db.drop();
  });

  test("a deployment made through node A serves on B and C within 1 s", async () => {
    apiId = await deployMockApi(a.ag);
    for (const node of [b, c]) {
      const elapsed = await within(1000, async () => (await httpsGet(node.dataPort, userPath(apiId, "prod", "/open"))).status === 200, `served on ${node.name}`);
      assert.ok(elapsed < 1000);
    }
  });

  test("an API key in a usage plan made on node B is enforced on A and C within 1 s", async () => {
    for (const node of nodes) assert.equal((await httpsGet(node.dataPort, keyed(), { "x-api-key": "no-such-key-0123456789abcdef" })).status, 403);
    const key = await keyInPlan(b.ag, apiId, { throttle: { burstLimit: 100, rateLimit: 100 } });
    for (const node of [a, c]) {
      await within(1000, async () => (await httpsGet(node.dataPort, keyed(), { "x-api-key": key.value })).status === 200, `key accepted on ${node.name}`);
    }
    // …and disabling it on B refuses it on A and C just as fast.
    await b.ag.send(new AG.UpdateApiKeyCommand({ apiKey: key.keyId, patchOperations: [{ op: "replace", path: "/enabled", value: "false" }] }));
    for (const node of [a, c]) {
      await within(1000, async () => (await httpsGet(node.dataPort, keyed(), { "x-api-key": key.value })).status === 403, `key refused on ${node.name}`);
    }
  });

  test("a quota is exact under 200 concurrent HTTPS requests spread over the three nodes", async () => {
    const quota = 70;
    const key = await keyInPlan(c.ag, apiId, { quota: { limit: quota, period: "DAY" }, throttle: { burstLimit: 5000, rateLimit: 5000 } });
    const warmup = await untilKnownEverywhere(key);
    const served = await Promise.all(
      Array.from({ length: 200 }, (_, i) => httpsGet(nodes[i % 3]!.dataPort, keyed(), { "x-api-key": key.value }, agent)),
    );
    assert.equal(count(served, 200), quota - warmup);
    assert.equal(count(served, 429), 200 - (quota - warmup));
    assert.ok(served.filter((s) => s.status === 429).every((s) => JSON.parse(s.body).message === "Limit Exceeded"));
    // Metering is written after each response: GetUsage on any node converges on the exact figure.
    await within(2000, async () => JSON.stringify(await usageOf(a.ag, key)) === JSON.stringify([[quota, 0]]), "GetUsage shows the quota used");
  });

  test("a plan's burst holds across nodes within ±1 (rate too low to refill)", async () => {
    const burst = 15;
    // rate 0.01/s: one token per 100 s, so nothing refills during the test.
    const key = await keyInPlan(a.ag, apiId, { throttle: { burstLimit: burst, rateLimit: 0.01 } });
    const warmup = await untilKnownEverywhere(key);
    const served = await Promise.all(Array.from({ length: 90 }, (_, i) => httpsGet(nodes[i % 3]!.dataPort, keyed(), { "x-api-key": key.value }, agent)));
    const admitted = warmup + count(served, 200);
    assert.ok(Math.abs(admitted - burst) <= 1, `admitted ${admitted} of burst ${burst}`);
    assert.equal(count(served, 200) + count(served, 429), 90);
    assert.ok(served.filter((s) => s.status === 429).every((s) => JSON.parse(s.body).message === "Too Many Requests"));
  });

  test("requests a node answered before it was SIGKILLed are all in GetUsage on the other nodes", async () => {
    const key = await keyInPlan(a.ag, apiId, { quota: { limit: 1000, period: "DAY" }, throttle: { burstLimit: 5000, rateLimit: 5000 } });
    const warmup = await untilKnownEverywhere(key, [c]);
    const served = await Promise.all(Array.from({ length: 60 }, () => httpsGet(c.dataPort, keyed(), { "x-api-key": key.value }, agent)));
    assert.equal(count(served, 200), 60);
    await c.proc.stop("SIGKILL");
    // The quota counter is decided before each response, so it holds every answered request…
    const store = await PostgresUsageStore.open(db.url);
    try {
      const counter = await store.readQuota({ usagePlanId: key.planId, keyId: key.keyId, periodStart: periodKey("DAY", Date.now()) }, 1000);
      assert.equal(counter.used, 60 + warmup);
    } finally {
      await store.close();
    }
    // …and GetUsage, which reports metering, must agree.
    assert.deepEqual(await usageOf(b.ag, key), [[60 + warmup, 1000 - 60 - warmup]]);
  });
});

describe("nodes whose Redis is unreachable follow TOLLGATE_REDIS_OUTAGE", () => {
  let db: TestDatabase;
  let local: InProcessNode;
  let closed: InProcessNode;

  before(async () => {
    db = await createTestDatabase();
    const deadRedis = `redis://127.0.0.1:${await freePort()}/0`;
    const env = { TOLLGATE_DATABASE_URL: db.url, TOLLGATE_REDIS_URL: deadRedis };
    local = await startNode("outage-local", { ...env, TOLLGATE_REDIS_OUTAGE: "local" });
    closed = await startNode("outage-closed", { ...env, TOLLGATE_REDIS_OUTAGE: "closed" });
  });
  after(async () => {
    await local?.close();
    await closed?.close();
    await db?.drop();
  });

  test("'local' keeps serving within the node's own buckets, logs the outage once and counts its decisions", async () => {
    const apiId = await deployMockApi(local.ag);
    const key = await keyInPlan(local.ag, apiId, { throttle: { burstLimit: 5, rateLimit: 0.01 } });
    await local.gw.dataPlane.registry.settled();
    await within(2000, async () => (await httpsGet(local.dataPort, userPath(apiId, "prod", "/open"))).status === 200, "open method served");
    const served: Served[] = [];
    for (let i = 0; i < 8; i++) served.push(await httpsGet(local.dataPort, userPath(apiId, "prod", "/keyed"), { "x-api-key": key.value }));
    // The key may need a moment to reach the key registry; once it is known, exactly 5 pass in this node.
    const statuses = served.map((s) => s.status).filter((s) => s !== 403);
    assert.deepEqual(statuses, [...Array(5).fill(200), ...Array(statuses.length - 5).fill(429)]);
    const outageLines = local.logs.filter((l) => l["msg"] === "Redis unavailable; throttling follows the outage policy");
    assert.equal(outageLines.length, 1);
    assert.equal(outageLines[0]!["policy"], "local");
    const metrics = await (await fetch(`${local.gw.adminUrl}/metrics`)).text();
    const decisions = Number(/^tollgate_limiter_outage_decisions_total (\d+)$/m.exec(metrics)?.[1]);
    assert.ok(decisions >= 9, `outage decisions ${decisions}`);
  });

  test("'closed' refuses every request with 429 Too Many Requests", async () => {
    const apiId = await deployMockApi(closed.ag);
    await closed.gw.dataPlane.registry.settled();
    const served = await Promise.all(Array.from({ length: 5 }, () => httpsGet(closed.dataPort, userPath(apiId, "prod", "/open"))));
    assert.deepEqual(served.map((s) => s.status), [429, 429, 429, 429, 429]);
    assert.equal(JSON.parse(served[0]!.body).message, "Too Many Requests");
    assert.equal(closed.logs.filter((l) => l["msg"] === "Redis unavailable; throttling follows the outage policy").length, 1);
    const metrics = await (await fetch(`${closed.gw.adminUrl}/metrics`)).text();
    assert.ok(Number(/^tollgate_limiter_outage_decisions_total (\d+)$/m.exec(metrics)?.[1]) >= 5, metrics);
  });
});
