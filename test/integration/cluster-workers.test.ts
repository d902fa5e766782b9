// `tollgate serve` with TOLLGATE_WORKERS=2: node:cluster workers share the management and data-plane listeners,
// a killed worker is replaced, quotas stay exact across workers through the shared SQLite usage store, the
// unsigned GET /metrics sums every worker, and SIGTERM stops them all.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as AG from "@aws-sdk/client-api-gateway";
import { REGION, TEST_CREDENTIALS } from "../helpers/gateway.js";
import { deployMockApi, keyInPlan, userPath, within } from "../helpers/scaleout-fixtures.js";
import { httpsGet, spawnTollgate, type LogLine, type TollgateProcess } from "../helpers/tollgate-process.js";

const REDIS_URL = process.env["TOLLGATE_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379/12";

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("tollgate serve with two cluster workers", () => {
  let dir: string;
  let tg: TollgateProcess;
  let ag: AG.APIGatewayClient;
  let apiId: string;
  let workerPids: number[];
  const accessPids = (path: string, status = 200): Set<number> =>
    new Set(tg.lines.filter((l: LogLine) => l["log"] === "access" && l["apiId"] === apiId && l["resourcePath"] === path && l["status"] === status).map((l) => l.pid!));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tollgate-cluster-"));
    tg = await spawnTollgate({ TOLLGATE_DATA_DIR: dir, TOLLGATE_WORKERS: "2" }, "cluster ready");
    workerPids = (tg.lines.find((l) => l.msg === "cluster ready")!["pids"] as number[]).slice();
    ag = new AG.APIGatewayClient({ endpoint: tg.adminUrl, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    apiId = await deployMockApi(ag);
    // Each worker applies the deployment from its own tail of the store's change log: wait until both served it.
    await within(5000, async () => {
      await httpsGet(tg.dataPort, userPath(apiId, "prod", "/open"));
      return accessPids("/open").size === 2;
    }, "deployment served by both workers");
  });
  after(async () => {
    ag.destroy();
    await tg.stop("SIGKILL");
    for (const pid of workerPids) if (alive(pid)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  test("the primary forks two workers and both serve the data plane", async () => {
    assert.equal(workerPids.length, 2);
    assert.ok(!workerPids.includes(tg.child.pid!));
    const seen = tg.lines.length;
    const served = await Promise.all(Array.from({ length: 40 }, () => httpsGet(tg.dataPort, userPath(apiId, "prod", "/open"))));
    assert.deepEqual(new Set(served.map((s) => s.status)), new Set([200]));
    const burstPids = (): number[] => [...new Set(tg.lines.slice(seen).filter((l) => l["log"] === "access" && l["apiId"] === apiId).map((l) => l.pid!))].sort();
    await within(2000, async () => burstPids().length === 2, "access lines from both workers");
    assert.deepEqual(burstPids(), [...workerPids].sort());
  });

  test("a quota is exact across workers sharing the SQLite usage store (60 concurrent requests, quota 25)", async () => {
    const key = await keyInPlan(ag, apiId, { quota: { limit: 25, period: "DAY" }, throttle: { burstLimit: 1000, rateLimit: 1000 } });
    const open = userPath(apiId, "prod", "/keyed");
    // Until both workers know the key, a request can be refused with 403 without counting: wait for two 200s
    // from different workers first (they count against the quota too).
    let before = 0;
    await within(
      5000,
      async () => {
        if ((await httpsGet(tg.dataPort, open, { "x-api-key": key.value })).status === 200) before++;
        return accessPids("/keyed").size === 2;
      },
      "key known to both workers",
    );
    assert.ok(before < 25);
    const agent = new https.Agent({ keepAlive: true, maxSockets: 60 });
    try {
      const served = await Promise.all(Array.from({ length: 60 }, () => httpsGet(tg.dataPort, open, { "x-api-key": key.value }, agent)));
      assert.equal(served.filter((s) => s.status === 200).length, 25 - before);
      assert.equal(served.filter((s) => s.status === 429).length, 60 - (25 - before));
    } finally {
      agent.destroy();
    }
  });

  test("without Redis each worker has its own throttle buckets, so a plan's burst multiplies by the workers", async () => {
    const ownApi = await deployMockApi(ag);
    const key = await keyInPlan(ag, ownApi, { throttle: { burstLimit: 5, rateLimit: 0.01 } });
    const keyed = userPath(ownApi, "prod", "/keyed");
    const pids = (): Set<number> =>
      new Set(tg.lines.filter((l) => l["log"] === "access" && l["apiId"] === ownApi && l["resourcePath"] === "/keyed" && l["status"] !== 403).map((l) => l.pid!));
    let admitted = 0;
    // Fresh connections are spread round-robin over the workers; each admits the plan's burst of 5 on its own.
    await within(5000, async () => {
      if ((await httpsGet(tg.dataPort, keyed, { "x-api-key": key.value })).status === 200) admitted++;
      return pids().size === 2;
    }, "key known to both workers");
    for (let i = 0; i < 40; i++) if ((await httpsGet(tg.dataPort, keyed, { "x-api-key": key.value })).status === 200) admitted++;
    assert.equal(admitted, 10);
  });

  test("GET /metrics is unsigned and sums the request counters of both workers", async () => {
    const res = await fetch(`${tg.adminUrl}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/plain/);
    const text = await res.text();
    assert.match(text, /^tollgate_limiter_outage_decisions_total 0$/m);
    const line = new RegExp(`^tollgate_requests_total\\{api="${apiId}",stage="prod",status="200"\\} (\\d+)$`, "m").exec(text);
    assert.ok(line, text);
    const logged = tg.lines.filter((l) => l["log"] === "access" && l["apiId"] === apiId && l["status"] === 200).length;
    assert.ok(Number(line[1]) >= 40 + 25, `counted ${line[1]}`);
    assert.ok(Number(line[1]) <= logged + 5, `counted ${line[1]}, logged ${logged}`);
    // The latency histogram counts every request of the stage, whatever its status, summed over the workers too.
    const total = [...text.matchAll(new RegExp(`^tollgate_requests_total\\{api="${apiId}",stage="prod",status="\\d+"\\} (\\d+)$`, "gm"))].reduce((n, m) => n + Number(m[1]), 0);
    const latencyCount = new RegExp(`^tollgate_latency_ms_count\\{api="${apiId}",stage="prod"\\} (\\d+)$`, "m").exec(text);
    assert.equal(Number(latencyCount?.[1]), total, text);
    assert.match(text, new RegExp(`^tollgate_latency_ms_bucket\\{api="${apiId}",stage="prod",le="\\+Inf"\\} ${total}$`, "m"));
  });

  test("FlushStageCache made through one worker empties the in-process stage cache of both", async () => {
    const cachedApi = await deployMockApi(ag, "cached");
    await ag.send(
      new AG.UpdateStageCommand({
        restApiId: cachedApi,
        stageName: "cached",
        patchOperations: [
          { op: "replace", path: "/cacheClusterEnabled", value: "true" },
          { op: "replace", path: "/*/*/caching/enabled", value: "true" },
        ],
      }),
    );
    const path = userPath(cachedApi, "cached", "/open");
    // A hit answers with the body cached from an earlier request, whose request id it carries.
    const servedIds = async (n: number): Promise<Set<string>> =>
      new Set((await Promise.all(Array.from({ length: n }, () => httpsGet(tg.dataPort, path)))).map((r) => (JSON.parse(r.body) as { requestId: string }).requestId));
    let cachedIds = new Set<string>();
    await within(5000, async () => {
      cachedIds = await servedIds(20);
      return cachedIds.size <= 2 && (await servedIds(20)).size === cachedIds.size;
    }, "each worker serving its cached entry");
    await ag.send(new AG.FlushStageCacheCommand({ restApiId: cachedApi, stageName: "cached" }));
    await within(3000, async () => [...(await servedIds(20))].every((id) => !cachedIds.has(id)), "no worker serving a flushed entry");
  });

  test("a killed worker is replaced and the new one serves", async () => {
    const victim = workerPids[0]!;
    const seen = tg.lines.length;
    process.kill(victim, "SIGKILL");
    const ready = await tg.waitForLine((l) => l.msg === "replacement worker ready" && tg.lines.indexOf(l) >= seen, 15_000);
    const newPid = ready["workerPid"] as number;
    assert.equal(ready.pid, tg.child.pid, "the primary reports the replacement");
    assert.ok(newPid !== victim && alive(newPid));
    assert.ok(tg.lines.some((l) => l.msg === "worker exited; restarting it" && l["workerPid"] === victim && l["signal"] === "SIGKILL"));
    workerPids = [workerPids[1]!, newPid];
    await within(5000, async () => {
      await Promise.all(Array.from({ length: 10 }, () => httpsGet(tg.dataPort, userPath(apiId, "prod", "/open"))));
      return accessPids("/open").has(newPid);
    }, "the replacement serves");
  });

  test("SIGTERM stops the primary and every worker with status 0", async () => {
    const code = await tg.stop("SIGTERM");
    assert.equal(code, 0);
    await within(3000, async () => workerPids.every((pid) => !alive(pid)), "workers gone");
  });
});

describe("tollgate serve with two cluster workers sharing Redis", () => {
  let dir: string;
  let tg: TollgateProcess;
  let ag: AG.APIGatewayClient;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tollgate-cluster-redis-"));
    tg = await spawnTollgate({ TOLLGATE_DATA_DIR: dir, TOLLGATE_WORKERS: "2", TOLLGATE_REDIS_URL: REDIS_URL }, "cluster ready");
    ag = new AG.APIGatewayClient({ endpoint: tg.adminUrl, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  });
  after(async () => {
    ag.destroy();
    const pids = (tg.lines.find((l) => l.msg === "cluster ready")?.["pids"] as number[] | undefined) ?? [];
    await tg.stop("SIGTERM");
    for (const pid of pids) if (alive(pid)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  test("the workers share one bucket per plan and key: exactly the burst passes", async () => {
    const apiId = await deployMockApi(ag);
    const key = await keyInPlan(ag, apiId, { throttle: { burstLimit: 5, rateLimit: 0.01 } });
    const keyed = userPath(apiId, "prod", "/keyed");
    let admitted = 0;
    const pids = (): Set<number> =>
      new Set(tg.lines.filter((l) => l["log"] === "access" && l["apiId"] === apiId && l["resourcePath"] === "/keyed" && l["status"] !== 403).map((l) => l.pid!));
    // Until both workers know the key, some requests get 403 (not counted); stop once both have answered it.
    await within(5000, async () => {
      if ((await httpsGet(tg.dataPort, keyed, { "x-api-key": key.value })).status === 200) admitted++;
      return pids().size === 2;
    }, "key known to both workers");
    for (let i = 0; i < 30; i++) if ((await httpsGet(tg.dataPort, keyed, { "x-api-key": key.value })).status === 200) admitted++;
    assert.equal(admitted, 5);
  });
});
