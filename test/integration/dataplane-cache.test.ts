// The stage cache (data-plane.md §9) end to end: stage settings through the SDK, HTTPS requests, an upstream that
// counts its calls. Once with the in-process cache, once with the cache in Redis (surviving a gateway restart).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as AG from "@aws-sdk/client-api-gateway";
import { dataRequest, deployApi, startUpstream, userPath, type Upstream } from "../helpers/dataplane.js";
import { startTestGateway, type TestGateway } from "../helpers/gateway.js";

const REDIS_URL = process.env["TOLLGATE_TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379/14";

for (const backend of ["in-process", "redis"] as const) {
  describe(`stage cache (${backend})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), "tollgate-cache-"));
    const env: Record<string, string> = backend === "redis" ? { TOLLGATE_REDIS_URL: REDIS_URL } : {};
    let t: TestGateway;
    let upstream: Upstream;
    let apiId: string;
    let stage: string;
    const calls = (path: string): number => upstream.seen.filter((r) => r.url.split("?")[0] === path).length;
    const get = (path: string, headers: Record<string, string> = {}) => dataRequest(t, userPath(apiId, stage, path), { headers });
    const updateStage = async (patchOperations: AG.PatchOperation[]): Promise<void> => {
      await t.ag.send(new AG.UpdateStageCommand({ restApiId: apiId, stageName: stage, patchOperations }));
      await t.gw.dataPlane.registry.settled();
    };

    before(async () => {
      let n = 0;
      upstream = await startUpstream((req, res) => {
        res.writeHead(200, { "content-type": "application/json", "x-upstream": "yes" });
        res.end(JSON.stringify({ path: req.url, n: ++n }));
      });
      t = await startTestGateway(env, dataDir);
      const proxy = (path: string, httpMethod: string, extra: Partial<AG.PutIntegrationRequest> = {}) => ({
        path,
        httpMethod,
        integration: { type: "HTTP_PROXY" as const, integrationHttpMethod: httpMethod, uri: `${upstream.url}${path}`, ...extra },
      });
      ({ apiId, stage } = await deployApi(t, [
        {
          ...proxy("/items/{id}", "GET", {
            requestParameters: { "integration.request.path.id": "method.request.path.id" },
            cacheKeyParameters: ["method.request.path.id"],
          }),
          requestParameters: { "method.request.path.id": true },
        },
        proxy("/all", "GET"),
        proxy("/all", "POST"),
      ]));
    });
    after(async () => {
      await t.close();
      await upstream.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test("without the cache cluster every request reaches the integration", async () => {
      await get("/all");
      await get("/all");
      assert.equal(calls("/all"), 2);
    });

    test("with it, GET responses are served from the cache: same body and headers, each with its own request id", async () => {
      await updateStage([{ op: "replace", path: "/cacheClusterEnabled", value: "true" }]);
      const first = await get("/items/1");
      const second = await get("/items/1");
      assert.equal(calls("/items/1"), 1);
      assert.equal(second.status, 200);
      assert.equal(second.body, first.body);
      assert.equal(second.headers["x-upstream"], "yes");
      assert.notEqual(second.headers["x-amzn-requestid"], first.headers["x-amzn-requestid"]);
      // A cache-key parameter makes its own entry.
      await get("/items/2");
      await get("/items/2");
      assert.equal(calls("/items/2"), 1);
    });

    test("the query string is not part of the key unless listed; POST is not cached", async () => {
      const before = calls("/all");
      const a = await get("/all?x=1");
      const b = await get("/all?x=2");
      assert.equal(calls("/all"), before + 1);
      assert.equal(b.body, a.body);
      await dataRequest(t, userPath(apiId, stage, "/all"), { method: "POST", body: "{}" });
      await dataRequest(t, userPath(apiId, stage, "/all"), { method: "POST", body: "{}" });
      assert.equal(upstream.seen.filter((r) => r.method === "POST").length, 2);
    });

    test("Cache-Control: max-age=0 is ignored with a Warning for callers not authorized to invalidate", async () => {
      const before = calls("/items/1");
      const res = await get("/items/1", { "cache-control": "max-age=0" });
      assert.equal(calls("/items/1"), before);
      assert.equal(res.headers["warning"], '199 - "Cache-Control header ignored: caller not authorized to invalidate cache"');
    });

    test("FAIL_WITH_403 refuses it; without the authorization requirement it refreshes the entry", async () => {
      await updateStage([
        { op: "replace", path: "/*/*/caching/enabled", value: "true" },
        { op: "replace", path: "/*/*/caching/unauthorizedCacheControlHeaderStrategy", value: "FAIL_WITH_403" },
      ]);
      const refused = await get("/items/1", { "cache-control": "max-age=0" });
      assert.equal(refused.status, 403);
      assert.equal(refused.body, '{"message":"Forbidden"}');
      await updateStage([{ op: "replace", path: "/*/*/caching/requireAuthorizationForCacheControl", value: "false" }]);
      const before = calls("/items/1");
      const stale = await get("/items/1");
      const fresh = await get("/items/1", { "cache-control": "max-age=0" });
      assert.equal(calls("/items/1"), before + 1);
      assert.notEqual(fresh.body, stale.body);
      assert.equal((await get("/items/1")).body, fresh.body, "the refreshed response replaced the entry");
    });

    test("FlushStageCache empties the stage's cache", async () => {
      const before = calls("/items/2");
      await t.ag.send(new AG.FlushStageCacheCommand({ restApiId: apiId, stageName: stage }));
      await get("/items/2");
      await get("/items/2");
      assert.equal(calls("/items/2"), before + 1);
    });

    test("entries live for the method's TTL", async () => {
      await updateStage([{ op: "replace", path: "/*/*/caching/ttlInSeconds", value: "1" }]);
      const before = calls("/items/3");
      await get("/items/3");
      await get("/items/3");
      assert.equal(calls("/items/3"), before + 1);
      await new Promise((r) => setTimeout(r, 1_100));
      await get("/items/3");
      assert.equal(calls("/items/3"), before + 2);
      await updateStage([{ op: "replace", path: "/*/*/caching/ttlInSeconds", value: "300" }]);
    });

    test(backend === "redis" ? "entries in Redis outlive a gateway restart" : "an in-process cache starts empty after a restart", async () => {
      await get("/items/4");
      const before = calls("/items/4");
      await t.close();
      t = await startTestGateway(env, dataDir);
      await get("/items/4");
      assert.equal(calls("/items/4"), backend === "redis" ? before : before + 1);
    });
  });
}
