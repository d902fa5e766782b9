// API keys, usage plans, throttling and quotas on the HTTPS data plane, one node with the SQLite usage store
// (data-plane.md §6, §7): key checks, every throttle level, exact quotas under concurrency, metering that
// GetUsage and `tollgate usage export` report, and counts that survive a restart and a SIGKILL.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import https from "node:https";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import * as AG from "@aws-sdk/client-api-gateway";
import { REGION, TEST_CREDENTIALS, startTestGateway, type TestGateway } from "../helpers/gateway.js";
import { createFunction, invocationUri } from "../helpers/lambda-dataplane.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../../..");
const today = (): string => new Date().toISOString().slice(0, 10);

interface Served {
  readonly status: number;
  readonly body: string;
  readonly bytes: number;
}

/** One GET to the data plane over a shared keep-alive agent (so hundreds of requests can be in flight at once). */
function get(port: number, path: string, headers: Record<string, string>, agent: https.Agent): Promise<Served> {
  return new Promise((resolvePromise, reject) => {
    const req = https.request({ host: "127.0.0.1", port, path, method: "GET", headers, agent, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const raw = Buffer.concat(chunks);
        resolvePromise({ status: res.statusCode ?? 0, body: raw.toString("utf8"), bytes: raw.length });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const count = (served: readonly Served[], status: number): number => served.filter((s) => s.status === status).length;

/** An API with key-protected `/pets` GET and POST, an open `/open` GET and `/limited` GET, deployed to `dev` and `prod`. */
async function deployKeyedApi(ag: AG.APIGatewayClient): Promise<string> {
  const api = await ag.send(new AG.CreateRestApiCommand({ name: "usage-enforcement" }));
  const restApiId = api.id!;
  const add = async (pathPart: string, methods: readonly [string, boolean][]): Promise<void> => {
    const resource = await ag.send(new AG.CreateResourceCommand({ restApiId, parentId: api.rootResourceId!, pathPart }));
    for (const [httpMethod, apiKeyRequired] of methods) {
      const resourceId = resource.id!;
      await ag.send(new AG.PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: "NONE", apiKeyRequired }));
      await ag.send(
        new AG.PutIntegrationCommand({ restApiId, resourceId, httpMethod, type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }),
      );
      await ag.send(new AG.PutMethodResponseCommand({ restApiId, resourceId, httpMethod, statusCode: "200" }));
      await ag.send(
        new AG.PutIntegrationResponseCommand({
          restApiId,
          resourceId,
          httpMethod,
          statusCode: "200",
          selectionPattern: "",
          responseTemplates: { "application/json": '{"key":"$context.identity.apiKey","keyId":"$context.identity.apiKeyId"}' },
        }),
      );
    }
  };
  await add("pets", [
    ["GET", true],
    ["POST", true],
  ]);
  await add("open", [["GET", false]]);
  await add("limited", [["GET", false]]);
  await ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "dev" }));
  await ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "prod" }));
  return restApiId;
}

interface PlanOptions {
  readonly stage?: string;
  readonly throttle?: AG.ThrottleSettings;
  readonly methodThrottle?: Record<string, AG.ThrottleSettings>;
  readonly quota?: AG.QuotaSettings;
}

/** A new enabled key in a new plan on `apiId`/stage; returns both ids and the key's value. */
async function keyInPlan(ag: AG.APIGatewayClient, apiId: string, options: PlanOptions = {}): Promise<{ keyId: string; value: string; planId: string }> {
  const key = await ag.send(new AG.CreateApiKeyCommand({ name: `key-${Math.random().toString(36).slice(2, 8)}`, enabled: true }));
  const plan = await ag.send(
    new AG.CreateUsagePlanCommand({
      name: `plan-${key.id}`,
      apiStages: [{ apiId, stage: options.stage ?? "dev", ...(options.methodThrottle ? { throttle: options.methodThrottle } : {}) }],
      ...(options.throttle ? { throttle: options.throttle } : {}),
      ...(options.quota ? { quota: options.quota } : {}),
    }),
  );
  await ag.send(new AG.CreateUsagePlanKeyCommand({ usagePlanId: plan.id!, keyId: key.id!, keyType: "API_KEY" }));
  return { keyId: key.id!, value: key.value!, planId: plan.id! };
}

async function usageOf(ag: AG.APIGatewayClient, planId: string, keyId: string): Promise<number[][] | undefined> {
  const usage = await ag.send(new AG.GetUsageCommand({ usagePlanId: planId, keyId, startDate: today(), endDate: today() }));
  return usage.items?.[keyId];
}

describe("API keys, usage plans and throttling on the data plane", () => {
  let t: TestGateway;
  let apiId: string;
  let agent: https.Agent;
  const path = (p: string, stage = "dev"): string => `/restapis/${apiId}/${stage}/_user_request_${p}`;
  const call = (p: string, headers: Record<string, string> = {}, stage = "dev"): Promise<Served> => get(t.gw.dataPort, path(p, stage), headers, agent);
  const settled = async (): Promise<void> => {
    await t.gw.dataPlane.keys.settled();
    await t.gw.dataPlane.registry.settled();
  };

  before(async () => {
    t = await startTestGateway();
    agent = new https.Agent({ keepAlive: true, maxSockets: 200 });
    apiId = await deployKeyedApi(t.ag);
    await settled();
  });
  after(async () => {
    agent.destroy();
    await t.close();
  });

  test("a key-required method answers 403 Forbidden without a key, with an unknown, disabled or unplanned key", async () => {
    const good = await keyInPlan(t.ag, apiId);
    const unplanned = await t.ag.send(new AG.CreateApiKeyCommand({ name: "unplanned", enabled: true }));
    const disabled = await keyInPlan(t.ag, apiId);
    const otherStage = await keyInPlan(t.ag, apiId, { stage: "prod" });
    await t.ag.send(new AG.UpdateApiKeyCommand({ apiKey: disabled.keyId, patchOperations: [{ op: "replace", path: "/enabled", value: "false" }] }));
    await settled();
    const refused: Record<string, string>[] = [{}, { "x-api-key": "no-such-key-value-0123456789" }, { "x-api-key": unplanned.value! }, { "x-api-key": disabled.value }, { "x-api-key": otherStage.value }];
    for (const headers of refused) {
      const res = await call("/pets", headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.equal(res.body, '{"message":"Forbidden"}');
    }
    const ok = await call("/pets", { "X-API-Key": good.value });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.body), { key: good.value, keyId: good.keyId }, "$context.identity.apiKey and apiKeyId are the key's");
    assert.equal((await call("/pets", { "x-api-key": otherStage.value }, "prod")).status, 200, "the key works on the stage of its plan");
  });

  test("a method without apiKeyRequired serves anyone and never counts against the key's plan", async () => {
    const key = await keyInPlan(t.ag, apiId, { quota: { limit: 1, period: "DAY" } });
    await settled();
    for (let i = 0; i < 3; i++) assert.equal((await call("/open", { "x-api-key": key.value })).status, 200);
    assert.equal((await call("/open")).status, 200);
    assert.equal(JSON.parse((await call("/open", { "x-api-key": key.value })).body).key, "", "no key identity when no key check ran");
    assert.deepEqual(await usageOf(t.ag, key.planId, key.keyId), [[0, 1]]);
    assert.equal((await call("/pets", { "x-api-key": key.value })).status, 200, "the one allowed request is still there");
  });

  test("the plan throttle admits its burst and answers 429 Too Many Requests beyond it", async () => {
    const key = await keyInPlan(t.ag, apiId, { throttle: { burstLimit: 5, rateLimit: 1 } });
    await settled();
    const served = await Promise.all(Array.from({ length: 12 }, () => call("/pets", { "x-api-key": key.value })));
    const ok = count(served, 200);
    assert.ok(ok >= 5 && ok <= 6, `admitted ${ok}, expected the burst of 5 (+1 refilled)`);
    assert.equal(count(served, 429), 12 - ok);
    assert.equal(served.find((s) => s.status === 429)!.body, '{"message":"Too Many Requests"}');
    assert.equal((await call("/open")).status, 200, "other callers are not throttled by a key's plan");
  });

  test("a plan's per-method throttle overrides the plan throttle for that method only", async () => {
    const key = await keyInPlan(t.ag, apiId, { throttle: { burstLimit: 100, rateLimit: 100 }, methodThrottle: { "/pets/GET": { burstLimit: 2, rateLimit: 0.1 } } });
    await settled();
    const gets = await Promise.all(Array.from({ length: 5 }, () => call("/pets", { "x-api-key": key.value })));
    assert.equal(count(gets, 200), 2);
    assert.equal(count(gets, 429), 3);
    const posts = await Promise.all(
      Array.from({ length: 5 }, () =>
        new Promise<number>((res, rej) => {
          const req = https.request({ host: "127.0.0.1", port: t.gw.dataPort, path: path("/pets"), method: "POST", headers: { "x-api-key": key.value }, agent, rejectUnauthorized: false }, (r) => {
            r.resume();
            r.on("end", () => res(r.statusCode ?? 0));
          });
          req.on("error", rej);
          req.end();
        }),
      ),
    );
    assert.deepEqual(posts, [200, 200, 200, 200, 200]);
  });

  test("stage methodSettings throttle one method in its own bucket", async () => {
    await t.ag.send(
      new AG.UpdateStageCommand({
        restApiId: apiId,
        stageName: "dev",
        patchOperations: [
          { op: "replace", path: "/~1limited/GET/throttling/burstLimit", value: "3" },
          { op: "replace", path: "/~1limited/GET/throttling/rateLimit", value: "0.1" },
        ],
      }),
    );
    await settled();
    const served = await Promise.all(Array.from({ length: 6 }, () => call("/limited")));
    assert.equal(count(served, 200), 3);
    assert.equal(count(served, 429), 3);
    assert.equal(served.find((s) => s.status === 429)!.body, '{"message":"Too Many Requests"}');
    assert.equal((await call("/open")).status, 200, "other methods keep the stage defaults");
    assert.equal((await call("/limited", {}, "prod")).status, 200, "other stages keep their own settings");
  });

  test("quota: 200 concurrent HTTPS requests against a quota of 50 succeed exactly 50 times; GetUsage reports them", async () => {
    const key = await keyInPlan(t.ag, apiId, { quota: { limit: 50, period: "DAY" } });
    await settled();
    const served = await Promise.all(Array.from({ length: 200 }, () => call("/pets", { "x-api-key": key.value })));
    assert.equal(count(served, 200), 50);
    assert.equal(count(served, 429), 150);
    assert.equal(served.find((s) => s.status === 429)!.body, '{"message":"Limit Exceeded"}');
    assert.deepEqual(await usageOf(t.ag, key.planId, key.keyId), [[50, 0]]);
  });

  test("the account throttle set with UpdateAccount applies to every method", async () => {
    const patch = (burst: string, rate: string): Promise<unknown> =>
      t.ag.send(
        new AG.UpdateAccountCommand({
          patchOperations: [
            { op: "replace", path: "/throttle/burstLimit", value: burst },
            { op: "replace", path: "/throttle/rateLimit", value: rate },
          ],
        }),
      );
    await patch("4", "0.1");
    await settled();
    try {
      const served = await Promise.all(Array.from({ length: 8 }, (_, i) => call(i % 2 ? "/open" : "/limited", {}, "prod")));
      assert.equal(count(served, 200), 4);
      assert.equal(count(served, 429), 4);
    } finally {
      await patch("5000", "10000");
      await settled();
    }
    // A bucket keeps its tokens across a limit change and refills at the new rate (10,000/s) from the first
    // request that sees the new rule; within milliseconds requests pass again.
    let status = 0;
    for (let i = 0; i < 5 && status !== 200; i++) {
      status = (await call("/open")).status;
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(status, 200);
  });
});

describe("usage counts are durable", () => {
  test("GetUsage and the quota survive a gateway restart on the same data dir", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-usage-restart-"));
    try {
      let t = await startTestGateway({}, dir);
      const agent = new https.Agent({ keepAlive: true });
      let key: { keyId: string; value: string; planId: string };
      let apiId: string;
      let bytes = 0;
      try {
        apiId = await deployKeyedApi(t.ag);
        key = await keyInPlan(t.ag, apiId, { quota: { limit: 10, period: "DAY" } });
        await t.gw.dataPlane.keys.settled();
        await t.gw.dataPlane.registry.settled();
        const served = await Promise.all(Array.from({ length: 7 }, () => get(t.gw.dataPort, `/restapis/${apiId}/dev/_user_request_/pets`, { "x-api-key": key.value }, agent)));
        assert.equal(count(served, 200), 7);
        bytes = served.reduce((n, s) => n + s.bytes, 0);
      } finally {
        agent.destroy();
        await t.close();
      }
      t = await startTestGateway({}, dir);
      const agent2 = new https.Agent({ keepAlive: true });
      try {
        assert.deepEqual(await usageOf(t.ag, key.planId, key.keyId), [[7, 3]]);
        const served = await Promise.all(Array.from({ length: 5 }, () => get(t.gw.dataPort, `/restapis/${apiId}/dev/_user_request_/pets`, { "x-api-key": key.value }, agent2)));
        assert.equal(count(served, 200), 3, "the quota counter carried over the restart");
        bytes += served.filter((s) => s.status === 200).reduce((n, s) => n + s.bytes, 0);
        assert.deepEqual(await usageOf(t.ag, key.planId, key.keyId), [[10, 0]]);
      } finally {
        agent2.destroy();
        await t.close();
      }
      // The billing export reads the same rows.
      const { stdout } = await run(process.execPath, [join(ROOT, "bin/tollgate.js"), "usage", "export", "--data-dir", dir, "--from", today(), "--to", today()], {
        env: { PATH: process.env["PATH"] ?? "" },
      });
      const [header, ...rows] = stdout.trim().split("\n");
      assert.equal(header, "day,apiKeyId,apiKeyName,apiId,stage,usagePlanId,calls,responseBytes");
      assert.equal(rows.length, 1);
      const keyName = rows[0]!.split(",")[2]!;
      assert.match(keyName, /^key-/);
      assert.equal(rows[0], `${today()},${key.keyId},${keyName},${apiId},dev,${key.planId},10,${bytes}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a SIGKILLed gateway loses no counted request", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tollgate-usage-kill-"));
    const [dataPort, adminPort] = [await freePort(), await freePort()];
    const env = {
      PATH: process.env["PATH"] ?? "",
      TOLLGATE_DATA_DIR: dir,
      TOLLGATE_PORT: String(dataPort),
      TOLLGATE_HOST: "127.0.0.1",
      TOLLGATE_ADMIN_PORT: String(adminPort),
      TOLLGATE_ADMIN_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      TOLLGATE_ADMIN_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      TOLLGATE_LOG_LEVEL: "silent",
      // One process, so the SIGKILL hits the process that counted (no cluster primary in between).
      TOLLGATE_WORKERS: "1",
    };
    const ag = new AG.APIGatewayClient({ endpoint: `http://127.0.0.1:${adminPort}`, region: REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    let child: ChildProcess | undefined;
    const agent = new https.Agent({ keepAlive: false });
    try {
      child = await spawnGateway(env, dataPort, adminPort);
      const apiId = await deployKeyedApi(ag);
      const key = await keyInPlan(ag, apiId, { quota: { limit: 1000, period: "DAY" } });
      const url = `/restapis/${apiId}/dev/_user_request_/pets`;
      // The child applies configuration changes asynchronously: wait until the key is known there (the first
      // 200 is a counted request too).
      for (let i = 0; (await get(dataPort, url, { "x-api-key": key.value }, agent)).status !== 200; i++) {
        if (i > 100) throw new Error("the key never became valid");
        await new Promise((r) => setTimeout(r, 50));
      }
      const served = await Promise.all(Array.from({ length: 40 }, () => get(dataPort, url, { "x-api-key": key.value }, agent)));
      assert.equal(count(served, 200), 40);
      child.kill("SIGKILL");
      await new Promise((r) => child!.once("exit", r));
      child = await spawnGateway(env, dataPort, adminPort);
      assert.deepEqual(await usageOf(ag, key.planId, key.keyId), [[41, 959]]);
      // The export runs beside the serving gateway, on the same data dir.
      const { stdout } = await run(process.execPath, [join(ROOT, "bin/tollgate.js"), "usage", "export", "--from", today()], { env });
      const row = stdout.trim().split("\n")[1]!.split(",");
      assert.deepEqual([row[1], row[3], row[4], row[5], row[6]], [key.keyId, apiId, "dev", key.planId, "41"]);
    } finally {
      ag.destroy();
      agent.destroy();
      if (child && child.exitCode === null) {
        child.kill("SIGKILL");
        await new Promise((r) => child!.once("exit", r));
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("apiKeySource AUTHORIZER", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  test("the key comes from the Lambda authorizer's usageIdentifierKey; x-api-key is ignored", async () => {
    // The authorizer allows every caller and names as usage key whatever follows `key=` in the token.
    const authArn = await createFunction(t, "usage-authorizer", {
      "index.js": `exports.handler = async (event) => ({
        principalId: "caller",
        policyDocument: { Version: "2012-10-17", Statement: [{ Action: "execute-api:Invoke", Effect: "Allow", Resource: event.methodArn.split("/")[0] + "/*" }] },
        usageIdentifierKey: event.authorizationToken.replace(/^key=/, ""),
      });`,
    });
    const ag = t.ag;
    const api = await ag.send(new AG.CreateRestApiCommand({ name: "authorizer-keys", apiKeySource: "AUTHORIZER" }));
    const restApiId = api.id!;
    const authorizer = await ag.send(
      new AG.CreateAuthorizerCommand({
        restApiId,
        name: "keys",
        type: "TOKEN",
        authorizerUri: invocationUri(authArn),
        identitySource: "method.request.header.Authorization",
        authorizerResultTtlInSeconds: 0,
      }),
    );
    const resourceId = api.rootResourceId!;
    await ag.send(new AG.PutMethodCommand({ restApiId, resourceId, httpMethod: "GET", authorizationType: "CUSTOM", authorizerId: authorizer.id!, apiKeyRequired: true }));
    await ag.send(new AG.PutIntegrationCommand({ restApiId, resourceId, httpMethod: "GET", type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } }));
    await ag.send(new AG.PutMethodResponseCommand({ restApiId, resourceId, httpMethod: "GET", statusCode: "200" }));
    await ag.send(
      new AG.PutIntegrationResponseCommand({
        restApiId,
        resourceId,
        httpMethod: "GET",
        statusCode: "200",
        responseTemplates: { "application/json": '{"keyId":"$context.identity.apiKeyId"}' },
      }),
    );
    await ag.send(new AG.CreateDeploymentCommand({ restApiId, stageName: "dev" }));
    const key = await keyInPlan(ag, restApiId, { quota: { limit: 2, period: "DAY" } });
    await t.gw.dataPlane.keys.settled();
    await t.gw.dataPlane.registry.settled();
    const agent = new https.Agent({ keepAlive: true });
    try {
      const at = (headers: Record<string, string>): Promise<Served> => get(t.gw.dataPort, `/restapis/${restApiId}/dev/_user_request_/`, headers, agent);
      const refused = await at({ Authorization: "key=not-a-key", "x-api-key": key.value });
      assert.deepEqual([refused.status, refused.body], [403, '{"message":"Forbidden"}']);
      const ok = await at({ Authorization: `key=${key.value}` });
      assert.deepEqual([ok.status, JSON.parse(ok.body)], [200, { keyId: key.keyId }]);
      assert.equal((await at({ Authorization: `key=${key.value}` })).status, 200);
      const over = await at({ Authorization: `key=${key.value}` });
      assert.deepEqual([over.status, over.body], [429, '{"message":"Limit Exceeded"}']);
    } finally {
      agent.destroy();
    }
  });
});

describe("AWS CLI: an API key and usage plan enforced on the data plane", () => {
  let t: TestGateway;
  before(async () => {
    t = await startTestGateway();
  });
  after(async () => {
    await t.close();
  });

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const env = {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "/tmp",
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: REGION,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_MAX_ATTEMPTS: "1",
    };
    const { stdout } = await run("aws", ["apigateway", ...args, "--endpoint-url", t.endpoint, "--output", "json"], { env });
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  async function curl(url: string, key?: string): Promise<{ status: number; body: string }> {
    const args = ["-sk", "-w", "\n%{http_code}", ...(key ? ["-H", `x-api-key: ${key}`] : []), url];
    const { stdout } = await run("curl", args);
    const nl = stdout.lastIndexOf("\n");
    return { status: Number(stdout.slice(nl + 1)), body: stdout.slice(0, nl) };
  }

  test("create-api-key, create-usage-plan and create-usage-plan-key gate a method; curl sees 403, 200s, then 429", async () => {
    const apiId = await deployKeyedApi(t.ag);
    const key = await aws("create-api-key", "--name", "cli-key", "--enabled");
    const plan = await aws(
      "create-usage-plan",
      "--name",
      "cli-plan",
      "--api-stages",
      `apiId=${apiId},stage=dev`,
      "--throttle",
      "burstLimit=100,rateLimit=50",
      "--quota",
      "limit=3,offset=0,period=DAY",
    );
    await aws("create-usage-plan-key", "--usage-plan-id", String(plan["id"]), "--key-id", String(key["id"]), "--key-type", "API_KEY");
    await t.gw.dataPlane.keys.settled();
    await t.gw.dataPlane.registry.settled();
    const url = `https://127.0.0.1:${t.gw.dataPort}/restapis/${apiId}/dev/_user_request_/pets`;
    assert.deepEqual(await curl(url), { status: 403, body: '{"message":"Forbidden"}' });
    for (let i = 0; i < 3; i++) assert.equal((await curl(url, String(key["value"]))).status, 200);
    assert.deepEqual(await curl(url, String(key["value"])), { status: 429, body: '{"message":"Limit Exceeded"}' });
    const usage = await aws("get-usage", "--usage-plan-id", String(plan["id"]), "--start-date", today(), "--end-date", today());
    assert.deepEqual((usage["items"] as Record<string, unknown>)[String(key["id"])], [[3, 0]]);
  });
});

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

const portOpen = (port: number): Promise<boolean> =>
  new Promise((res) => {
    const c = connect(port, "127.0.0.1", () => {
      c.destroy();
      res(true);
    });
    c.on("error", () => res(false));
  });

async function spawnGateway(env: NodeJS.ProcessEnv, dataPort: number, adminPort: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, "bin/tollgate.js"), "serve"], { env, stdio: ["ignore", "ignore", "inherit"] });
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`);
    if ((await portOpen(dataPort)) && (await portOpen(adminPort))) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error("the gateway did not come up");
}
